import { describe, expect, it } from 'vitest';
import { firstCommandWord } from '../../src/domain/command-word.js';

describe('firstCommandWord: the program a cmd: hook names, as /bin/sh splits it', () => {
  it.each([
    ['./hooks/post.sh', './hooks/post.sh'],
    ['  ./post.sh --fast arg', './post.sh'],
    ['./smoke.sh {function}', './smoke.sh'],
    ['./a.sh;echo done', './a.sh'],
    ['./a.sh&&echo done', './a.sh'],
    ['./a.sh|tee log', './a.sh'],
    ['./a.sh>out.log', './a.sh'],
    ["'./my hooks/post.sh' x", './my hooks/post.sh'],
    ['"./my hooks/post.sh" x', './my hooks/post.sh'],
    ['./my\\ hooks/post.sh', './my hooks/post.sh'],
    ["./it'" + "s'/x.sh", './its/x.sh'],
    ['npm test', 'npm'],
    ['/usr/bin/env node x.js', '/usr/bin/env'],
  ])('%s → %s', (command, word) => {
    expect(firstCommandWord(command)).toBe(word);
  });

  it.each([
    ['$HOME/post.sh'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's ${…}, typed as is
    ['${DIR}/post.sh'],
    ['`pwd`/post.sh'],
    ['"$DIR/post.sh"'],
    ['./hooks/*.sh'],
    ['./hooks/post?.sh'],
    ['./hooks/[ab].sh'],
    ['~/hooks/post.sh'],
    ['./hooks/{function}.sh'],
    ['FOO=1 ./post.sh'],
    ['(cd hooks && ./post.sh)'],
    ['! ./post.sh'],
    ["'./unterminated"],
    ['"./unterminated'],
    ['./trailing\\'],
    [''],
    ['   '],
  ])('%s → left alone (the shell expands or decides it)', (command) => {
    expect(firstCommandWord(command)).toBeUndefined();
  });
});
