/**
 * The architecture rules, as a pure function from a tree of files (repo-relative path → source text) to the
 * violations in it, so the same rules run against the real tree and against deliberately broken fixtures.
 *
 * Why the TypeScript compiler API and not regexes: a regex over the text sees imports in comments and string
 * literals (false alarms) and misses the forms nobody thought of (`import "bullmq";`, `export * from`,
 * `import x = require()`, `import("discord.js").Client` in a type, a specifier split over lines, `process["env"]`,
 * `const { env } = process`). Parsing with `ts.createSourceFile` gives the syntax tree, so every import form is a
 * node kind we list once, and reads of `process.env` are property accesses rather than substrings. We walk the
 * tree instead of using `ts.preProcessFile` because we also need the expressions (environment, console) and
 * whether an import is type-only. Parsing needs no type checker and no module resolution, so it is fast and
 * works on in-memory fixtures.
 *
 * Decisions the rules encode:
 * - Type-only imports count. `import type { App } from "@slack/bolt"` in `src/` means the core knows an SDK's
 *   types, which is the coupling the rule exists to stop. Messages say "type-only" so the fix is obvious.
 * - Test files (`*.test.ts`) under `src/` obey the core rules too: a core test that needs an SDK, an adapter,
 *   the scheduler or an entry point belongs beside that code or in `test/`, not in the core.
 * - The other rules are about what runs in production, so they skip test files: an adapter's integration test
 *   may drive the real scheduler, and tests may read the environment (for Redis URLs and the like).
 * - Only direct imports are checked. A core test may import `test/helpers/…`, which may import anything.
 * - Entry points in `bin/` may read the environment and import everything (they compose the app), so no rule
 *   looks at files in `bin/`; files elsewhere must still not import `bin/`.
 * - Every folder under `adapters/` is one adapter; shared adapter code belongs in the core.
 * - A dynamic `import()` or `require()` with a computed specifier is a violation in itself, because no rule can
 *   see what it loads.
 */
import { posix } from "node:path";
import ts from "typescript";

/** Repo-relative, `/`-separated path → file text. */
export type SourceTree = ReadonlyMap<string, string>;

export interface Violation {
  readonly rule: RuleId;
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export const RULES = {
  "core-no-sdk": "src/ (tests included) imports no platform SDK and no queue library, not even types",
  "core-inward": "src/ (tests included) imports nothing from adapters/, scheduler/ or bin/",
  "adapters-apart": "an adapter imports no other adapter",
  "adapter-own-sdk": "an adapter imports its own platform's SDK only, and never the queue library",
  "adapter-no-scheduler-or-bin": "an adapter imports nothing from scheduler/ or bin/",
  "scheduler-no-adapter": "scheduler/ imports no adapter, no entry point and no platform SDK",
  "env-in-config-only": "only src/config/config.ts reads the environment (process.env, import.meta.env)",
  "core-no-console": "src/ writes nothing to the console; it logs through the injected logger",
  "visible-specifiers": "every import() and require() names its module as a literal, so the rules can see it",
} as const;

export type RuleId = keyof typeof RULES;

/** The SDKs, by the folder under `adapters/` allowed to import them. */
const PLATFORM_SDKS: Readonly<Record<string, RegExp>> = {
  slack: /^@slack\//,
  discord: /^(discord\.js(\/|$)|@discordjs\/)/,
};
const QUEUE_LIBRARY = /^bullmq(\/|$)/;
const CONFIG_MODULE = "src/config/config.ts";
const PROCESS_MODULES = new Set(["process", "node:process"]);

type ImportKind =
  | "import"
  | "side-effect import"
  | "type-only import"
  | "re-export"
  | "type-only re-export"
  | "dynamic import"
  | "require"
  | "import type"
  | "reference"
  | "module augmentation";

interface ModuleReference {
  readonly specifier: string;
  readonly kind: ImportKind;
  readonly line: number;
}

interface FileFacts {
  readonly references: readonly ModuleReference[];
  /** Dynamic imports and requires whose module no rule can see. */
  readonly hidden: readonly { readonly kind: ImportKind; readonly line: number }[];
  readonly environmentReads: readonly { readonly what: string; readonly line: number }[];
  readonly consoleUses: readonly { readonly what: string; readonly line: number }[];
}

export const isTestFile = (file: string): boolean => /\.test\.[cm]?[jt]sx?$/.test(file);

const isSourceFile = (file: string): boolean => /\.[cm]?[jt]sx?$/.test(file);

/** Which top-level area a repo-relative path is in, and for adapters which one. */
function areaOf(path: string): { readonly area: string; readonly adapter?: string } {
  const [area = "", adapter] = path.split("/");
  return area === "adapters" && adapter !== undefined ? { area, adapter } : { area };
}

/** The repo-relative path a relative specifier points at, or undefined for a package specifier. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (
    !specifier.startsWith("./") &&
    !specifier.startsWith("../") &&
    specifier !== "." &&
    specifier !== ".."
  ) {
    return undefined;
  }
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

function platformOfSdk(specifier: string): string | undefined {
  return Object.entries(PLATFORM_SDKS).find(([, pattern]) => pattern.test(specifier))?.[0];
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.[cm]?jsx?$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function literalText(node: ts.Node | undefined): string | undefined {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

/** `globalThis.process`, `global.process`, `globalThis["process"]`. */
function isGlobalMember(node: ts.Expression, name: string): boolean {
  const target = ts.isPropertyAccessExpression(node)
    ? node.name.text
    : ts.isElementAccessExpression(node)
      ? literalText(node.argumentExpression)
      : undefined;
  if (target !== name) return false;
  const owner = (node as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
  return ts.isIdentifier(owner) && ["globalThis", "global", "window", "self"].includes(owner.text);
}

/** The name a member access or binding element reads: `x.name`, `x["name"]`, `{ name }`, `{ name: alias }`. */
function memberName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return literalText(node.argumentExpression);
  return undefined;
}

function bindingElementName(element: ts.BindingElement): string | undefined {
  const key = element.propertyName ?? element.name;
  if (ts.isIdentifier(key) || ts.isStringLiteral(key)) return key.text;
  return undefined;
}

/** Everything the rules need to know about one file, read from its syntax tree. */
function factsOf(file: string, text: string): FileFacts {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

  const references: ModuleReference[] = [];
  const hidden: { kind: ImportKind; line: number }[] = [];
  const environmentReads: { what: string; line: number }[] = [];
  const consoleUses: { what: string; line: number }[] = [];

  // Names bound to the process object: `process`, `import proc from "node:process"`, `const p = process`.
  const processNames = new Set(["process"]);
  const consoleNames = new Set(["console"]);
  const isProcess = (node: ts.Expression): boolean =>
    (ts.isIdentifier(node) && processNames.has(node.text)) || isGlobalMember(node, "process");
  const isConsole = (node: ts.Expression): boolean =>
    (ts.isIdentifier(node) && consoleNames.has(node.text)) || isGlobalMember(node, "console");
  const isImportMeta = (node: ts.Expression): boolean =>
    ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword && node.name.text === "meta";

  for (const directive of source.typeReferenceDirectives) {
    references.push({
      specifier: directive.fileName,
      kind: "reference",
      line: source.getLineAndCharacterOfPosition(directive.pos).line + 1,
    });
  }
  for (const directive of source.referencedFiles) {
    references.push({
      specifier: directive.fileName.startsWith(".") ? directive.fileName : `./${directive.fileName}`,
      kind: "reference",
      line: source.getLineAndCharacterOfPosition(directive.pos).line + 1,
    });
  }

  // First pass: aliases of `process` and `console`, so `const p = process; p.env` is still seen.
  const collectAliases = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && PROCESS_MODULES.has(literalText(node.moduleSpecifier) ?? "")) {
      const clause = node.importClause;
      if (clause?.name) processNames.add(clause.name.text);
      if (clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings)) {
        processNames.add(clause.namedBindings.name.text);
      }
    }
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      if (isProcess(node.initializer)) processNames.add(node.name.text);
      if (isConsole(node.initializer)) consoleNames.add(node.name.text);
    }
    ts.forEachChild(node, collectAliases);
  };
  collectAliases(source);

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const specifier = literalText(node.moduleSpecifier) ?? "";
      const clause = node.importClause;
      const kind: ImportKind =
        clause === undefined ? "side-effect import" : clause.isTypeOnly ? "type-only import" : "import";
      references.push({ specifier, kind, line: lineOf(node) });
      if (
        PROCESS_MODULES.has(specifier) &&
        clause?.namedBindings &&
        ts.isNamedImports(clause.namedBindings)
      ) {
        for (const element of clause.namedBindings.elements) {
          if ((element.propertyName ?? element.name).text === "env") {
            environmentReads.push({ what: `env imported from "${specifier}"`, line: lineOf(element) });
          }
        }
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      references.push({
        specifier: literalText(node.moduleSpecifier) ?? "",
        kind: node.isTypeOnly ? "type-only re-export" : "re-export",
        line: lineOf(node),
      });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      references.push({
        specifier: literalText(node.moduleReference.expression) ?? "",
        kind: "require",
        line: lineOf(node),
      });
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      const specifier = ts.isLiteralTypeNode(argument) ? literalText(argument.literal) : undefined;
      if (specifier !== undefined) references.push({ specifier, kind: "import type", line: lineOf(node) });
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      references.push({ specifier: node.name.text, kind: "module augmentation", line: lineOf(node) });
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const kind: ImportKind | undefined =
        callee.kind === ts.SyntaxKind.ImportKeyword
          ? "dynamic import"
          : ts.isIdentifier(callee) && callee.text === "require"
            ? "require"
            : undefined;
      if (kind !== undefined) {
        const specifier = literalText(node.arguments[0]);
        if (specifier === undefined) hidden.push({ kind, line: lineOf(node) });
        else references.push({ specifier, kind, line: lineOf(node) });
      }
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const name = memberName(node);
      if (name === "env" && isProcess(node.expression)) {
        environmentReads.push({ what: node.getText(source), line: lineOf(node) });
      } else if (name === "env" && isImportMeta(node.expression)) {
        environmentReads.push({ what: "import.meta.env", line: lineOf(node) });
      } else if (name !== undefined && isConsole(node.expression)) {
        consoleUses.push({ what: node.getText(source), line: lineOf(node) });
      }
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      // `const { env } = process`, `const { log } = console`, `const { env } = import.meta`
      const names = node.name.elements.map(bindingElementName);
      if (names.includes("env") && (isProcess(node.initializer) || isImportMeta(node.initializer))) {
        environmentReads.push({ what: node.getText(source), line: lineOf(node) });
      }
      if (isConsole(node.initializer)) consoleUses.push({ what: node.getText(source), line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);

  return { references, hidden, environmentReads, consoleUses };
}

/** Checks every rule against the tree. Files outside src/, adapters/ and scheduler/ are parsed by no rule. */
export function checkArchitecture(tree: SourceTree): Violation[] {
  const violations: Violation[] = [];
  const report = (rule: RuleId, file: string, line: number, message: string) =>
    violations.push({ rule, file, line, message });

  for (const [file, text] of [...tree].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isSourceFile(file)) continue;
    const { area, adapter } = areaOf(file);
    if (area !== "src" && area !== "adapters" && area !== "scheduler") continue;
    const production = !isTestFile(file);
    const facts = factsOf(file, text);

    // The import rules cover all of src/ and the production code of adapters/ and scheduler/.
    if (area === "src" || production) {
      for (const { kind, line } of facts.hidden) {
        report("visible-specifiers", file, line, `${kind} with a computed module name`);
      }
    }

    for (const { specifier, kind, line } of facts.references) {
      const what = `${kind} of "${specifier}"`;
      const target = resolveRelative(file, specifier);
      const targetArea = target === undefined ? undefined : areaOf(target);
      const sdk = target === undefined ? platformOfSdk(specifier) : undefined;
      const queue = target === undefined && QUEUE_LIBRARY.test(specifier);

      if (area === "src") {
        if (sdk !== undefined || queue) report("core-no-sdk", file, line, what);
        if (targetArea && ["adapters", "scheduler", "bin"].includes(targetArea.area)) {
          report("core-inward", file, line, `${what} (${target})`);
        }
      }

      if (area === "adapters" && production) {
        if (targetArea?.area === "adapters" && targetArea.adapter !== adapter) {
          report("adapters-apart", file, line, `${what} (${target})`);
        }
        if ((sdk !== undefined && sdk !== adapter) || queue) report("adapter-own-sdk", file, line, what);
        if (targetArea?.area === "scheduler" || targetArea?.area === "bin") {
          report("adapter-no-scheduler-or-bin", file, line, `${what} (${target})`);
        }
      }

      if (area === "scheduler" && production) {
        if (targetArea?.area === "adapters" || targetArea?.area === "bin" || sdk !== undefined) {
          report("scheduler-no-adapter", file, line, target === undefined ? what : `${what} (${target})`);
        }
      }
    }

    if (production && file !== CONFIG_MODULE) {
      for (const { what, line } of facts.environmentReads) report("env-in-config-only", file, line, what);
    }

    if (area === "src" && production) {
      for (const { what, line } of facts.consoleUses) report("core-no-console", file, line, what);
    }
  }
  return violations;
}

/** One line per violation, for readable test failures. */
export const describeViolation = (violation: Violation): string =>
  `${violation.rule}: ${violation.file}:${violation.line} ${violation.message}`;
