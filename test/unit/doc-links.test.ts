/**
 * A user follows the relative links of README.md and docs/*.md: each must name a file that exists
 * and, after `#`, a heading of that file. Anchors are GitHub's: the heading's text lower-cased,
 * markup and punctuation dropped, spaces made hyphens, a repeated heading suffixed -1, -2, …
 * Offline and fast: it reads the files only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function listDocs(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, 'docs', name));
  return [join(ROOT, 'README.md'), ...docs];
}

/** Markdown without fenced code blocks and inline code, where `[x](y)` is not a link. */
function stripCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

function slugify(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

function listAnchors(file: string): Set<string> {
  const withoutFences = readFileSync(file, 'utf8').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = slugify(match[1] ?? '');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const match of withoutFences.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

function listRelativeLinks(markdown: string): string[] {
  const targets = [...stripCode(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] ?? '');
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with one link from `file`, or undefined when it leads somewhere real. */
function checkLink(file: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#', 2);
  const linked = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(linked)) return `${target}: no file ${relative(ROOT, linked)}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(linked).isDirectory() || !linked.endsWith('.md'))
    return `${target}: an anchor into a non-Markdown file`;
  if (!listAnchors(linked).has(decodeURIComponent(anchor)))
    return `${target}: no heading #${anchor} in ${relative(ROOT, linked)}`;
  return undefined;
}

describe('slugify (GitHub heading anchors)', () => {
  it.each([
    ['Quick start', 'quick-start'],
    ['`lshift deploy <function>`', 'lshift-deploy-function'],
    ['Latency (`latency-increase`)', 'latency-latency-increase'],
    ['`lshift promote | pause | resume | abort <function>`', 'lshift-promote--pause--resume--abort-function'],
    ['Exit 4: what to do', 'exit-4-what-to-do'],
  ])('%s → %s', (heading, slug) => {
    expect(slugify(heading)).toBe(slug);
  });
});

describe('relative links in README.md and docs/*.md', () => {
  it('finds the docs and their links', () => {
    const links = listDocs().flatMap((file) => listRelativeLinks(readFileSync(file, 'utf8')));
    expect(links.length).toBeGreaterThan(20);
  });

  it.each(listDocs().map((file) => [relative(ROOT, file), file]))(
    '%s: every link leads to a file and heading',
    (_name, file) => {
      const broken = listRelativeLinks(readFileSync(file, 'utf8'))
        .map((target) => checkLink(file, target))
        .filter((problem) => problem !== undefined);
      expect(broken).toEqual([]);
    },
  );

  it('reports a missing file and a missing heading', () => {
    const readme = join(ROOT, 'README.md');
    expect(checkLink(readme, 'docs/no-such-file.md')).toMatch(/no file docs\/no-such-file\.md/);
    expect(checkLink(readme, 'docs/ci.md#no-such-heading')).toMatch(
      /no heading #no-such-heading in docs\/ci\.md/,
    );
    expect(checkLink(readme, '#quick-start')).toBeUndefined();
  });
});
