import { describe, expect, it } from 'vitest';
import { guessCodeDeployGroup } from '../../src/cli/codedeploy-engine.js';

describe('guessCodeDeployGroup (the group lshift rollback checks when a record names no deployment)', () => {
  it('the config file’s names win, else the defaults', () => {
    expect(guessCodeDeployGroup('my-fn', 'live', {})).toEqual({
      application: 'lshift-my-fn',
      group: 'my-fn-live',
    });
    expect(guessCodeDeployGroup('my-fn', 'live', { application: 'app', 'deployment-group': 'grp' })).toEqual({
      application: 'app',
      group: 'grp',
    });
  });

  it('no group when the names are not valid CodeDeploy names (nothing to check)', () => {
    expect(guessCodeDeployGroup('f'.repeat(60), 'a'.repeat(60), {})).toBeUndefined();
  });
});
