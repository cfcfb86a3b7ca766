import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

/**
 * What the action evaluates before it runs: every module that src/action.ts imports, and they import, with a
 * static import (`import type` is erased, and verbatimModuleSyntax keeps every other import). The bundler puts
 * exactly these in dist/index.js; what only a dynamic import() reaches goes to a chunk loaded when reached.
 */

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly)
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly)
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
  }
  return specifiers;
}

/** Source files (relative to src/) and packages loaded at startup. */
function startup(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const relative = path.relative(SRC, file);
    if (files.has(relative)) return;
    files.add(relative);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'));
      else packages.add(specifier);
    }
  };
  visit(path.join(SRC, entry));
  return { files, packages };
}

describe("the action's startup", () => {
  const { files, packages } = startup('action.ts');

  test('reaches the run and @actions/core', () => {
    expect(files).toContain('action/run.ts');
    expect(packages).toContain('@actions/core');
  });

  test('does not load the GitHub client, which only an API call loads', () => {
    expect(files).not.toContain('github/client.ts');
    expect([...packages].filter((name) => /^(@actions\/github|@octokit\/|bottleneck)/.test(name))).toEqual([]);
  });
});
