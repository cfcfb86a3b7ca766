import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { decimal, html, htmlComment, join, link, markup, md, plainText } from '../../src/render/escape.js';
import { fileUrl, linkContext, runUrl } from '../../src/render/links.js';

const WORD_JOINER = /\u2060/g;

/** The inline nodes a paragraph made of `markdown` parses to. */
function inline(markdown: string) {
  const root = fromMarkdown(`before ${markdown} after`);
  expect(root.children).toHaveLength(1);
  const paragraph = root.children[0]!;
  expect(paragraph.type).toBe('paragraph');
  return 'children' in paragraph ? paragraph.children : [];
}

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '*',
        '_',
        '`',
        '[',
        ']',
        '(',
        ')',
        '!',
        '<',
        '>',
        '&',
        '#',
        '@',
        '|',
        '\\',
        '\n',
        '-',
        ':',
        '/',
        'a',
        '1',
        ' ',
        '<!--',
        '-->',
        '\u202E',
        '\u0000',
        '\u001b[31m',
        'https://x.y',
        '@org/team',
        '#12',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join('')),
);

describe('md: untrusted text as markdown', () => {
  it('always parses to plain text equal to the input made printable', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const nodes = inline(md(text, 1000));
        expect(nodes.every((n) => n.type === 'text')).toBe(true);
        const rendered = nodes.map((n) => ('value' in n ? n.value : '')).join('');
        expect(rendered.replace(WORD_JOINER, '')).toBe(`before ${plainText(text, 1000).replace(WORD_JOINER, '')} after`);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('leaves no mention, reference or URL for GitHub to link', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const rendered = inline(md(text, 1000))
          .map((n) => ('value' in n ? n.value : ''))
          .join('');
        expect(rendered).not.toMatch(/@[A-Za-z0-9]|#\d|:\/\/|www\.|GH-\d/i);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('renders the classic attacks inert', () => {
    const attacks = [
      '<img src=x onerror=alert(1)>',
      '[click](https://evil.example)',
      '![pixel](https://evil.example/p.png)',
      '<!-- aivss-gate:header=default -->',
      '@octocat and @github/security please look at #1',
      '**bold** _em_ `code` ~~strike~~',
      '| a | b |\n|---|---|',
      '</details><details open>',
      '\u202Eevil\u202C',
    ];
    for (const attack of attacks) {
      expect(
        inline(md(attack)).every((n) => n.type === 'text'),
        attack,
      ).toBe(true);
      expect(md(attack)).not.toMatch(/<(?!\/?sub>)/);
    }
  });

  it('leaves nothing for GitHub-flavoured markdown to link, even glued to a word', () => {
    for (const attack of ['_www.evil.example', 'x_https://evil.example', '_GH-1', 'see_mallory@evil.example']) {
      const tree = fromMarkdown(md(attack), { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
      expect(JSON.stringify(tree), attack).not.toContain('"link"');
    }
  });

  it('caps the length and keeps one line', () => {
    expect(Array.from(plainText('x'.repeat(500), 50))).toHaveLength(50);
    expect(plainText('a\nb\r\nc\u2028d')).toBe('a b c d');
  });
});

describe('html: untrusted text inside raw HTML', () => {
  it('never leaves a tag or a bare ampersand', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(html(text, 1000)).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|#39);)/);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('plainText: untrusted text for terminals and logs', () => {
  it('strips escape sequences, bidirectional overrides and newlines', () => {
    expect(plainText('\u001b[31mred\u001b[0m\n::error::forged\u202E')).toBe('[31mred[0m ::error::forged');
  });
});

describe('htmlComment: text inside an HTML comment', () => {
  it('never ends the comment early', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const line = `<!-- header=${htmlComment(text, 1000)} -->`;
        expect(fromMarkdown(`${line}\n\nafter`).children.map((n) => n.type)).toEqual(['html', 'paragraph']);
        expect(line.indexOf('-->')).toBe(line.length - 3);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('leaves a comment-header as it is', () => {
    expect(htmlComment('security gate-2_v1.0')).toBe('security gate-2_v1.0');
  });
});

describe('markup: our own markdown around escaped values', () => {
  it('keeps its literal text and joins Markdown and numbers as they are', () => {
    const name = md('<b>x</b> *y*');
    expect(markup`**${name}** scored ${decimal(9.25, 1)} in ${3} runs`).toBe('**&lt;b&gt;x&lt;/b&gt; \\*y\\*** scored 9.3 in 3 runs');
    expect(join([md('a'), markup`**b**`], markup` · `)).toBe('a · **b**');
  });
});

describe('links of ours', () => {
  const context = linkContext({
    server: 'https://ghe.example.com/',
    repository: 'octo-org/agents',
    sha: 'a'.repeat(40),
    runId: 7,
    prefix: 'svc',
  })!;

  it('point at a file and line of the commit, with each path segment percent-encoded', () => {
    expect(fileUrl(context, 'threat-models/a (b)#1.yaml', 3)).toBe(
      `https://ghe.example.com/octo-org/agents/blob/${'a'.repeat(40)}/svc/threat-models/a%20%28b%29%231.yaml#L3`,
    );
    expect(runUrl(context)).toBe('https://ghe.example.com/octo-org/agents/actions/runs/7');
  });

  it('are not made for a path that could climb out, nor from parts that are not what they should be', () => {
    for (const file of ['../x.yaml', 'a/../../x', '/etc/passwd', 'a//b', 'a\\b', './a']) expect(fileUrl(context, file, 1)).toBeNull();
    expect(linkContext({ server: 'javascript:alert(1)', repository: 'o/r', sha: 'a'.repeat(40), runId: null, prefix: '' })).toBeNull();
    expect(linkContext({ server: 'https://github.com', repository: 'o/r)', sha: 'a'.repeat(40), runId: null, prefix: '' })).toBeNull();
    expect(linkContext({ server: 'https://github.com', repository: 'o/r', sha: 'main', runId: null, prefix: '' })).toBeNull();
    expect(linkContext({ server: 'https://github.com', repository: 'o/r', sha: 'a'.repeat(40), runId: null, prefix: '..' })).toBeNull();
  });

  it('link() leaves the text unlinked for any URL that is not plainly ours', () => {
    expect(link(md('x'), 'https://github.com/o/r/commit/abc')).toBe('[x](https://github.com/o/r/commit/abc)');
    for (const url of ['https://evil.example/a)(b', 'javascript:alert(1)', 'https://a.example/ b', 'https://a.example/"x', null])
      expect(link(md('x'), url)).toBe('x');
  });
});
