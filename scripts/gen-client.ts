/**
 * Generates the web app's typed API description, src/web/api/schema.gen.ts, from the committed
 * openapi.json (OpenAPI 3.1 whose schemas are JSON Schema, as TypeBox and @fastify/swagger
 * produce them).
 *
 *   npx tsx scripts/gen-client.ts            write src/web/api/schema.gen.ts
 *   npx tsx scripts/gen-client.ts --check    exit 1 if the file on disk is not what would be written
 *   npx tsx scripts/gen-client.ts --spec other.json --out other.gen.ts
 *
 * The JSON Schema → TypeScript conversion is deliberately small: it covers what the API uses
 * (objects, arrays, tuples, primitives, const/enum, anyOf/oneOf/allOf, nullable types, $ref to
 * components) and turns anything else into `unknown` rather than guessing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Schema = boolean | SchemaObject;
interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  patternProperties?: Record<string, Schema>;
  items?: Schema;
  prefixItems?: Schema[];
  nullable?: boolean;
  description?: string;
  format?: string;
  [key: string]: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: Schema;
  $ref?: string;
}
interface MediaContent {
  [mediaType: string]: { schema?: Schema };
}
interface Operation {
  operationId?: string;
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: MediaContent; $ref?: string };
  responses?: Record<string, { content?: MediaContent; $ref?: string }>;
}
interface OpenApi {
  openapi: string;
  info?: { title?: string; version?: string };
  paths?: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, Schema>;
    parameters?: Record<string, Parameter>;
    requestBodies?: Record<string, Operation['requestBody']>;
    responses?: Record<string, { content?: MediaContent }>;
  };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const INDENT = '  ';

// ---------------------------------------------------------------------------------------------
// JSON Schema → TypeScript

/** `def-0` → `Def0`, `Organisation` → `Organisation`: a component's name as a TS identifier. */
export function typeName(componentName: string): string {
  const words = componentName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[0-9]/.test(name) ? `T${name}` : name || 'Unnamed';
}

function refName(ref: string): string {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix) || ref.slice(prefix.length).includes('/')) {
    throw new Error(`Unsupported $ref "${ref}": only ${prefix}<Name> is understood`);
  }
  return typeName(decodeURIComponent(ref.slice(prefix.length)));
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : `'${key.replace(/[\\']/g, '\\$&')}'`;
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/[\\']/g, '\\$&')}'`;
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return 'unknown';
}

function union(members: string[]): string {
  const unique = [...new Set(members)];
  if (unique.includes('unknown')) return 'unknown';
  const withoutNever = unique.filter((m) => m !== 'never');
  if (withoutNever.length === 0) return 'never';
  return withoutNever.join(' | ');
}

/** A long one-line union of simple members (an enum) reads better one member per line. */
function wrapUnion(type: string, indent: string, room = 72): string {
  if (type.includes('\n') || type.length <= room) return type;
  const members = type.split(' | ');
  if (members.length < 2 || !members.every((m) => /^('[^'|]*'|[\w.[\]<>]+)$/.test(m))) return type;
  return members.map((m) => `\n${indent}${INDENT}| ${m}`).join('');
}

/** Wraps a union or intersection in parentheses where it is used as an array element. */
function atom(type: string): string {
  return /[|&]/.test(type) && !/^[{(]/.test(type) ? `(${type})` : type;
}

function docComment(schema: SchemaObject, indent: string): string {
  const notes = [schema.description, schema.format ? `format: ${schema.format}` : undefined]
    .filter((n): n is string => Boolean(n))
    .map((n) => n.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim());
  return notes.length === 0 ? '' : `${indent}/** ${notes.join('; ')} */\n`;
}

/**
 * Schemas with a `title` (TypeBox's `$id`-less way of naming one, e.g. "Organisation") become
 * named types when every use of the title renders the same; see `chooseNamedTitles`.
 * Set by `generate` for the duration of one run.
 */
let namedTitles = new Map<string, string>();

/**
 * Renders one schema as a TypeScript type; `indent` is the indentation of the line it starts on.
 * `useName: false` renders a titled schema's own body instead of its name.
 */
export function toTs(schema: Schema | undefined, indent = '', useName = true): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  const title = typeof schema.title === 'string' ? namedTitles.get(schema.title) : undefined;
  if (useName && title) return title;
  const nullable = schema.nullable === true ? ['null'] : [];
  if (schema.$ref) return union([refName(schema.$ref), ...nullable]);
  if ('const' in schema) return union([literal(schema.const), ...nullable]);
  if (schema.enum) return union([...schema.enum.map(literal), ...nullable]);
  if (schema.anyOf || schema.oneOf) {
    const members = (schema.anyOf ?? schema.oneOf ?? []).map((s) => toTs(s, indent));
    return union([...members, ...nullable]);
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => atom(toTs(s, indent)));
    return union([parts.length === 0 ? 'unknown' : parts.join(' & '), ...nullable]);
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) {
    if (schema.properties || schema.additionalProperties !== undefined) {
      return union([objectType(schema, indent), ...nullable]);
    }
    if (schema.items || schema.prefixItems) return union([arrayType(schema, indent), ...nullable]);
    return 'unknown';
  }
  return union([...types.map((t) => primitive(t, schema, indent)), ...nullable]);
}

function primitive(type: string, schema: SchemaObject, indent: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return arrayType(schema, indent);
    case 'object':
      return objectType(schema, indent);
    default:
      return 'unknown';
  }
}

function arrayType(schema: SchemaObject, indent: string): string {
  if (schema.prefixItems) {
    return `[${schema.prefixItems.map((s) => toTs(s, indent)).join(', ')}]`;
  }
  return `${atom(toTs(schema.items, indent))}[]`;
}

function objectType(schema: SchemaObject, indent: string): string {
  const inner = indent + INDENT;
  const required = new Set(schema.required ?? []);
  const lines: string[] = [];
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const doc = typeof prop === 'object' ? docComment(prop, inner) : '';
    const optional = required.has(key) ? '' : '?';
    const type = wrapUnion(toTs(prop, inner), inner);
    lines.push(`${doc}${inner}${propertyKey(key)}${optional}: ${type};`);
  }
  const extra = [
    ...(schema.additionalProperties !== undefined && schema.additionalProperties !== false
      ? [schema.additionalProperties]
      : []),
    ...Object.values(schema.patternProperties ?? {}),
  ];
  if (extra.length > 0) {
    // An index signature must admit the declared properties' types too.
    const declared = Object.values(schema.properties ?? {}).map((p) => toTs(p, inner));
    const values = union([...extra.map((s) => toTs(s, inner)), ...declared]);
    lines.push(`${inner}[key: string]: ${values};`);
  }
  if (lines.length === 0) {
    return schema.additionalProperties === false
      ? 'Record<string, never>'
      : 'Record<string, unknown>';
  }
  return `{\n${lines.join('\n')}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI → the Paths interface

function resolveRef<T>(spec: OpenApi, value: T & { $ref?: string }): T {
  if (!value.$ref) return value;
  const segments = value.$ref.replace(/^#\//, '').split('/');
  let node: unknown = spec;
  for (const segment of segments) {
    node = (node as Record<string, unknown> | undefined)?.[segment.replace(/~1/g, '/')];
  }
  if (node === undefined) throw new Error(`Cannot resolve $ref "${value.$ref}"`);
  return node as T;
}

function jsonSchemaOf(content: MediaContent | undefined): Schema | undefined {
  if (!content) return undefined;
  const mediaType =
    Object.keys(content).find((m) => m === 'application/json') ??
    Object.keys(content).find((m) => /[/+]json\b/.test(m));
  return mediaType ? (content[mediaType]?.schema ?? true) : undefined;
}

function parametersType(params: Parameter[], indent: string): string {
  if (params.length === 0) return 'never';
  const inner = indent + INDENT;
  const lines = params.map((p) => {
    const doc = p.description ? docComment({ description: p.description }, inner) : '';
    const optional = p.required ? '' : '?';
    const type = wrapUnion(toTs(p.schema, inner), inner);
    return `${doc}${inner}${propertyKey(p.name)}${optional}: ${type};`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function operationType(
  spec: OpenApi,
  pathItem: Record<string, unknown>,
  op: Operation,
  indent: string,
): string {
  const inner = indent + INDENT;
  // Operation-level parameters override path-level ones with the same name and location.
  const byKey = new Map<string, Parameter>();
  for (const raw of [...((pathItem.parameters as Parameter[]) ?? []), ...(op.parameters ?? [])]) {
    const p = resolveRef(spec, raw);
    byKey.set(`${p.in}:${p.name}`, p);
  }
  const params = [...byKey.values()];
  const requestBody = op.requestBody ? resolveRef(spec, op.requestBody) : undefined;
  const bodySchema = jsonSchemaOf(requestBody?.content);
  const okStatuses = Object.keys(op.responses ?? {})
    .filter((s) => /^2(\d\d|XX)$/i.test(s))
    .sort();
  const responseTypes = okStatuses.map((status) => {
    const response = resolveRef(spec, op.responses?.[status] ?? {});
    const schema = jsonSchemaOf(response.content);
    return schema === undefined ? 'null' : toTs(schema, inner);
  });

  let body = 'never';
  if (bodySchema !== undefined) {
    body = toTs(bodySchema, inner);
    if (!requestBody?.required) body = union([body, 'undefined']);
  }
  const lines = [
    op.operationId ? `${inner}operationId: '${op.operationId}';` : undefined,
    `${inner}params: ${parametersType(
      params.filter((p) => p.in === 'path'),
      inner,
    )};`,
    `${inner}query: ${parametersType(
      params.filter((p) => p.in === 'query'),
      inner,
    )};`,
    `${inner}headers: ${parametersType(
      params.filter((p) => p.in === 'header'),
      inner,
    )};`,
    `${inner}body: ${body};`,
    `${inner}response: ${responseTypes.length === 0 ? 'unknown' : union(responseTypes)};`,
  ].filter((l): l is string => l !== undefined);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function alias(name: string, type: string): string {
  const wrapped = wrapUnion(type, '');
  return `export type ${name}${wrapped.startsWith('\n') ? ' =' : ' = '}${wrapped};`;
}

/** Every schema object with a `title`, anywhere under `roots`. */
function collectTitled(roots: unknown[]): SchemaObject[] {
  const found: SchemaObject[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (typeof (node as SchemaObject).title === 'string') found.push(node as SchemaObject);
      Object.values(node).forEach(walk);
    }
  };
  roots.forEach(walk);
  return found;
}

/**
 * Picks the titles that can be named types: a valid, unique name that no component uses, and the
 * same TypeScript for every schema carrying the title. Dropping a title can change how schemas
 * that contain it render, so repeat until nothing more is dropped.
 */
function chooseNamedTitles(titled: SchemaObject[], taken: Set<string>): Map<string, string> {
  const candidates = new Map<string, string>();
  const nameCount = new Map<string, number>();
  for (const title of new Set(titled.map((t) => t.title as string))) {
    const name = typeName(title);
    nameCount.set(name, (nameCount.get(name) ?? 0) + 1);
    candidates.set(title, name);
  }
  for (const [title, name] of candidates) {
    if (taken.has(name) || (nameCount.get(name) ?? 0) > 1) candidates.delete(title);
  }
  for (;;) {
    namedTitles = candidates;
    const renderings = new Map<string, Set<string>>();
    for (const schema of titled) {
      const title = schema.title as string;
      if (!candidates.has(title)) continue;
      const set = renderings.get(title) ?? new Set<string>();
      set.add(toTs(schema, '', false));
      renderings.set(title, set);
    }
    const conflicting = [...renderings].filter(([, set]) => set.size > 1).map(([title]) => title);
    if (conflicting.length === 0) return candidates;
    for (const title of conflicting) candidates.delete(title);
  }
}

export function generate(spec: OpenApi, specLabel = 'openapi.json'): string {
  if (typeof spec.openapi !== 'string' || !spec.openapi.startsWith('3.')) {
    throw new Error(`${specLabel} is not an OpenAPI 3 document (openapi: ${spec.openapi})`);
  }
  const componentNames = Object.keys(spec.components?.schemas ?? {}).map(typeName);
  const titled = collectTitled([spec.paths, spec.components?.schemas]);
  namedTitles = chooseNamedTitles(titled, new Set(componentNames));

  const out: string[] = [
    `// Generated by scripts/gen-client.ts from ${specLabel}: do not edit by hand.`,
    '// Run `npx tsx scripts/gen-client.ts` after the API changes (CI runs it with --check).',
    `// API: ${spec.info?.title ?? 'untitled'} ${spec.info?.version ?? ''}`.trimEnd(),
    '',
  ];

  const schemas = spec.components?.schemas ?? {};
  for (const name of Object.keys(schemas).sort()) {
    const schema = schemas[name];
    const doc = typeof schema === 'object' ? docComment(schema, '') : '';
    out.push(`${doc}${alias(typeName(name), toTs(schema, '', false))}`, '');
  }
  for (const [title, name] of [...namedTitles].sort(([, a], [, b]) => a.localeCompare(b))) {
    const schema = titled.find((t) => t.title === title);
    out.push(alias(name, toTs(schema, '', false)), '');
  }

  out.push('export interface Paths {');
  const paths = spec.paths ?? {};
  for (const path of Object.keys(paths).sort()) {
    const pathItem = paths[path] ?? {};
    const methods = METHODS.filter((m) => pathItem[m] !== undefined);
    if (methods.length === 0) continue;
    out.push(`${INDENT}'${path}': {`);
    for (const method of methods) {
      const op = pathItem[method] as Operation;
      const doc = op.summary ? docComment({ description: op.summary }, INDENT.repeat(2)) : '';
      const type = operationType(spec, pathItem, op, INDENT.repeat(2));
      out.push(`${doc}${INDENT.repeat(2)}${method}: ${type};`);
    }
    out.push(`${INDENT}};`);
  }
  out.push('}', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CLI

function main(argv: string[]): number {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const specPath = resolve(root, option('--spec') ?? 'openapi.json');
  const outPath = resolve(root, option('--out') ?? 'src/web/api/schema.gen.ts');
  const check = argv.includes('--check');
  const specLabel = relative(root, specPath);
  const outLabel = relative(root, outPath);

  if (!existsSync(specPath)) {
    console.error(`gen-client: ${specPath} not found. Generate it first (npm run openapi).`);
    return 1;
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApi;
  const generated = generate(spec, specLabel.startsWith('..') ? specPath : specLabel);

  if (check) {
    const current = existsSync(outPath) ? readFileSync(outPath, 'utf8') : undefined;
    if (current === generated) {
      console.log(`gen-client: ${outLabel} is up to date with ${specLabel}.`);
      return 0;
    }
    console.error(
      current === undefined
        ? `gen-client: ${outLabel} is missing.`
        : `gen-client: ${outLabel} is out of date with ${specLabel}.`,
    );
    console.error('Run `npx tsx scripts/gen-client.ts` and commit the result.');
    return 1;
  }
  writeFileSync(outPath, generated);
  console.log(`gen-client: wrote ${outLabel} from ${specLabel}.`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
