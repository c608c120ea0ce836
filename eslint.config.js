// The lint gate (`npm run lint`): typescript-eslint's strict, type-checked rules, the size rules of
// the developers' guide, and the layer boundaries between src/ folders. Import cycles, type-only
// imports included, are checked by dpdm in the same script: eslint-plugin-import-x's `no-cycle`
// skips `import type` by design, and a type cycle still ties the modules together.
// `npm test` runs the gate after the format check and the compiler, before vitest. ESLint caches its
// results per file in node_modules/.cache/eslint/: a type change in one file can leave another file's
// cached result stale until that file changes; CI (`npm ci`, a fresh node_modules) always lints from scratch.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Who may import whom. Type-only imports count: a type ties the layers together as much as a value. */
const layers = [
  {
    target: './src/protocol',
    from: './src',
    except: ['./protocol'],
    message: 'src/protocol is the wire contract: it imports nothing of ours outside src/protocol.',
  },
  {
    target: './src/client',
    from: './src/server',
    message: 'The client core never imports the server; shared knowledge belongs in src/protocol.',
  },
  {
    target: './src/tui',
    from: './src/cli',
    message: 'The TUI never imports the CLI: it reports why it quit, and src/cli maps that to an exit code.',
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      // `${n} ms` is the normal way to put a number in a message; objects and undefined stay refused.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `_reason` and friends: an abstract method's parameter that one implementation does not need.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `() => this.close('peer')` as a listener, `return this.fatal(err)` in a void method: both say what
      // they do; a block or an extra line around them says nothing more.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      // With noUncheckedIndexedAccess, `batch[i]!` after a bounds check is the hot-path idiom: no
      // branch, no fallback value that could hide a bug. tsc already refuses it where nothing is checked.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // An `async` method without `await` implements a Promise-returning interface (Store, ChatClientApi)
      // and turns a throw into a rejection, which callers rely on.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
      },
    },
  },
  {
    // The guide's size rules, for every file we write: ~300 lines a file, 120 columns a line. Prettier
    // (printWidth 120) keeps code within the width; this also catches long strings and comments.
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { '@stylistic': stylistic },
    rules: {
      // Every line counts, blank and comment lines too: a file is read whole.
      'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }],
      '@stylistic/max-len': ['error', { code: 120, tabWidth: 2, ignoreUrls: true }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layers }],
    },
  },
  {
    // The contract is pure knowledge shared by both ends: no I/O, no Node HTTP. Hashing is computation, not
    // I/O: the DM room name is a hash both ends derive alone.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', '!node:crypto', 'http', 'https', 'net'], message: 'src/protocol does no I/O.' },
          ],
        },
      ],
    },
  },
);
