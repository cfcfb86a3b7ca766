import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

/**
 * GitHub's own OpenAPI description of its REST API (npm @octokit/openapi), used to check every request the
 * action sends and every response the fake server gives, so that the fake cannot drift from the real API.
 */
export type Description = 'api.github.com' | 'ghes-3.19';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}
type JsonSchema = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> } | { $ref: string }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface Route {
  template: string;
  operationId: string;
  params: Record<string, string>;
}

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);
const cache = new Map<Description, OpenApi>();

export function openApi(description: Description = 'api.github.com'): OpenApi {
  let api = cache.get(description);
  if (!api) {
    api = new OpenApi(require.resolve(`@octokit/openapi/generated/${description}.json`));
    cache.set(description, api);
  }
  return api;
}

export class OpenApi {
  private readonly document: Document;
  private readonly ajv: Ajv;
  private readonly routes: { template: string; pattern: RegExp; names: string[]; literals: number }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file: string) {
    this.document = JSON.parse(readFileSync(file, 'utf8')) as Document;
    // OpenAPI 3.0 is not quite JSON Schema: the document itself is not checked against the meta-schema, and
    // keywords such as `example` or `discriminator` are ignored. Ajv understands `nullable`.
    this.ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', true).addFormat('int64', true);
    this.ajv.addSchema(this.document as unknown as JsonSchema, 'openapi');
    this.routes = Object.keys(this.document.paths).map((template) => {
      const names: string[] = [];
      const segments = template.split('/').map((segment) => {
        const match = /^\{(.+)\}$/.exec(segment);
        if (!match) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(match[1]!);
        return '([^/]+)';
      });
      return { template, pattern: new RegExp(`^${segments.join('/')}$`), names, literals: template.split('/').length - names.length };
    });
  }

  /** The operation for a method and a path (without the API's base path), the most literal template first. */
  route(method: string, path: string): Route | null {
    const candidates = this.routes
      .map((route) => ({ route, match: route.pattern.exec(path) }))
      .filter((c) => c.match !== null && this.document.paths[c.route.template]![method.toLowerCase()] !== undefined)
      .sort((a, b) => b.route.literals - a.route.literals);
    const best = candidates[0];
    if (!best) return null;
    const params = Object.fromEntries(best.route.names.map((name, i) => [name, decodeURIComponent(best.match![i + 1]!)]));
    return { template: best.route.template, operationId: this.operation(best.route.template, method).operationId, params };
  }

  /** Everything wrong with a request: unknown route, parameters off their schema, a body off the schema. */
  checkRequest(request: {
    method: string;
    path: string;
    query: URLSearchParams;
    contentType: string | undefined;
    body: unknown;
  }): string[] {
    const where = `${request.method} ${request.path}`;
    const route = this.route(request.method, request.path);
    if (!route) return [`${where}: no such operation in GitHub's REST API description`];
    const operation = this.operation(route.template, request.method);
    const parameters = (operation.parameters ?? []).map((p) => this.resolve<Parameter>(p));
    const problems: string[] = [];
    for (const parameter of parameters.filter((p) => p.in === 'path')) {
      problems.push(...this.checkValue(`${where}: path parameter ${parameter.name}`, parameter, route.params[parameter.name]));
    }
    const queryNames = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of request.query.keys()) {
      if (!queryNames.has(name)) problems.push(`${where}: query parameter ${name} is not in ${operation.operationId}`);
    }
    for (const parameter of parameters.filter((p) => p.in === 'query')) {
      const value = request.query.get(parameter.name) ?? undefined;
      if (value === undefined && !parameter.required) continue;
      problems.push(...this.checkValue(`${where}: query parameter ${parameter.name}`, parameter, value));
    }
    const body = operation.requestBody;
    if (!body) {
      if (request.body !== undefined) problems.push(`${where}: ${operation.operationId} takes no request body`);
      return problems;
    }
    if (request.body === undefined) {
      if (body.required) problems.push(`${where}: ${operation.operationId} requires a request body`);
      return problems;
    }
    if (!request.contentType?.startsWith('application/json') || !body.content['application/json']) {
      problems.push(`${where}: content type ${request.contentType ?? '(none)'} is not what ${operation.operationId} takes`);
      return problems;
    }
    const pointer = `#/paths/${escapePointer(route.template)}/${request.method.toLowerCase()}/requestBody/content/application~1json/schema`;
    return [...problems, ...this.validate(`${where}: request body`, pointer, request.body)];
  }

  /** Everything wrong with a JSON response the fake server is about to give. */
  checkResponse(method: string, path: string, status: number, body: unknown): string[] {
    const route = this.route(method, path);
    if (!route) return [`${method} ${path}: no such operation`];
    const responses = this.operation(route.template, method).responses;
    const response = responses[String(status)];
    if (!response) return [`${method} ${path}: ${route.operationId} never answers ${status}`];
    const resolved = this.resolve<{ content?: Record<string, { schema: JsonSchema }> }>(response);
    if (!resolved.content?.['application/json']) return body === undefined ? [] : [`${method} ${path}: ${status} has no body`];
    const pointer = `#/paths/${escapePointer(route.template)}/${method.toLowerCase()}/responses/${status}`;
    const schemaPointer = '$ref' in response ? `${(response as { $ref: string }).$ref}` : pointer;
    return this.validate(`${method} ${path}: ${status} response`, `${schemaPointer}/content/application~1json/schema`, body);
  }

  /** A documented example value, such as components/examples/issue-comment. */
  example<T>(name: string): T {
    return structuredClone((this.document.components.examples![name] as { value: T }).value);
  }

  private operation(template: string, method: string): Operation {
    return this.document.paths[template]![method.toLowerCase()]!;
  }

  private resolve<T>(value: T | { $ref: string }): T {
    if (typeof value !== 'object' || value === null || !('$ref' in value)) return value as T;
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(value.$ref)!;
    return this.document.components[section!]![name!] as T;
  }

  private checkValue(label: string, parameter: Parameter, raw: string | undefined): string[] {
    if (raw === undefined) return parameter.required ? [`${label} is required`] : [];
    const type = (parameter.schema as { type?: string } | undefined)?.type;
    // Parameters travel as text; only a canonical number or boolean counts as one.
    const value =
      type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : type === 'boolean' && /^(true|false)$/.test(raw) ? raw === 'true' : raw;
    const validate = this.ajv.compile(parameter.schema ?? {});
    return validate(value) ? [] : [`${label}=${raw}: ${this.ajv.errorsText(validate.errors)}`];
  }

  private validate(label: string, pointer: string, value: unknown): string[] {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate(value) ? [] : [`${label}: ${this.ajv.errorsText(validate.errors)}`];
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
