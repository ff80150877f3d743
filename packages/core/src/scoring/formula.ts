import jsep from 'jsep';
import { DomainError } from '../domain-error.js';
import { BASE_MEASURE_KEYS, CUSTOM_MEASURE_PREFIX } from './measures.js';
import type { MeasureGetter, MeasureLag, MeasureNeed } from './metrics.js';

/**
 * Custom metric formulas: arithmetic over base measures, other metrics and custom measures,
 * parsed by `jsep` (an expression parser, not an evaluator) and evaluated by a closure tree
 * built here over a closed set of node types. Nothing in a formula can reach JavaScript: no
 * property access but `custom.<name>`, no calls but the functions listed in `FUNCTIONS`.
 *
 * Values are numbers; NaN means missing and propagates (use `coalesce(x, 0)` to default it).
 * Division by zero gives NaN. Comparisons and `&&`, `||`, `!` give 1 or 0; `c ? a : b` picks.
 * `prev(measure)` and `year_ago(measure)` read a base measure of the previous period or of the
 * same period a year earlier.
 *
 * @example compileFormula('payment_amount / invoice_amount * 100', 'customMetrics[0].formula')
 */
export interface CompiledFormula {
  /** Base measures the formula reads, with the period each is read from. */
  needs: MeasureNeed[];
  /** Metric keys the formula refers to (built-in or custom). */
  metrics: string[];
  /** Evaluate for one dealer: `get` reads base measures, `metric` another metric's value. */
  evaluate: (get: MeasureGetter, metric: (key: string) => number) => number;
}

type Node = jsep.Expression;
type Eval = (get: MeasureGetter, metric: (key: string) => number) => number;

const FUNCTIONS: Readonly<
  Record<string, { arity: [number, number]; fn: (...a: number[]) => number }>
> = {
  min: { arity: [1, 20], fn: (...a) => Math.min(...a) },
  max: { arity: [1, 20], fn: (...a) => Math.max(...a) },
  abs: { arity: [1, 1], fn: (a = Number.NaN) => Math.abs(a) },
  sqrt: { arity: [1, 1], fn: (a = Number.NaN) => (a < 0 ? Number.NaN : Math.sqrt(a)) },
  ln: { arity: [1, 1], fn: (a = Number.NaN) => (a <= 0 ? Number.NaN : Math.log(a)) },
  log10: { arity: [1, 1], fn: (a = Number.NaN) => (a <= 0 ? Number.NaN : Math.log10(a)) },
  exp: { arity: [1, 1], fn: (a = Number.NaN) => Math.exp(a) },
  pow: { arity: [2, 2], fn: (a = Number.NaN, b = Number.NaN) => a ** b },
  round: {
    arity: [1, 2],
    fn: (a = Number.NaN, digits = 0) => Math.round(a * 10 ** digits) / 10 ** digits,
  },
  floor: { arity: [1, 1], fn: (a = Number.NaN) => Math.floor(a) },
  ceil: { arity: [1, 1], fn: (a = Number.NaN) => Math.ceil(a) },
  clamp: {
    arity: [3, 3],
    fn: (x = Number.NaN, lo = Number.NaN, hi = Number.NaN) => Math.min(hi, Math.max(lo, x)),
  },
};

/** Functions that read a base measure of an earlier period. */
const LAG_FUNCTIONS: Readonly<Record<string, MeasureLag>> = {
  prev: 'previous',
  year_ago: 'year_ago',
};

const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => (b === 0 ? Number.NaN : a / b),
  '%': (a, b) => (b === 0 ? Number.NaN : a % b),
  '<': (a, b) => Number(a < b),
  '<=': (a, b) => Number(a <= b),
  '>': (a, b) => Number(a > b),
  '>=': (a, b) => Number(a >= b),
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '&&': (a, b) => Number(a !== 0 && b !== 0),
  '||': (a, b) => Number(a !== 0 || b !== 0),
};

/**
 * Parse and check a formula. `isMetric(name)` says whether a bare name is a metric key of the
 * policy; every other bare name must be a base measure. Throws a `validation_failed`
 * DomainError with `details.path` = `path` and the position of the problem.
 */
export function compileFormula(
  formula: string,
  path: string,
  isMetric: (name: string) => boolean,
): CompiledFormula {
  let ast: Node;
  try {
    ast = jsep(formula);
  } catch (error) {
    const e = error as { description?: string; index?: number };
    throw invalid(
      path,
      `cannot be read at character ${(e.index ?? 0) + 1}: ${e.description ?? String(error)}`,
    );
  }
  const needs = new Map<string, MeasureNeed>();
  const metrics = new Set<string>();
  const need = (measure: string, lag: MeasureLag): void => {
    needs.set(`${lag}:${measure}`, { measure, lag });
  };

  const build = (node: Node): Eval => {
    switch (node.type) {
      case 'Literal': {
        const value = (node as jsep.Literal).value;
        if (typeof value !== 'number')
          throw invalid(
            path,
            `only numbers may be written as values, not ${(node as jsep.Literal).raw}`,
          );
        return () => value;
      }
      case 'Identifier': {
        const name = (node as jsep.Identifier).name;
        if (BASE_MEASURE_KEYS.has(name)) {
          need(name, 'current');
          return (get) => get(name);
        }
        if (isMetric(name)) {
          metrics.add(name);
          return (_get, metric) => metric(name);
        }
        throw invalid(path, `"${name}" is neither a base measure nor a metric of this policy`);
      }
      case 'MemberExpression': {
        const member = node as jsep.MemberExpression;
        const object = member.object as jsep.Identifier;
        const property = member.property as jsep.Identifier;
        if (
          member.computed ||
          object.type !== 'Identifier' ||
          object.name !== 'custom' ||
          property.type !== 'Identifier'
        ) {
          throw invalid(path, 'the only dotted name allowed is custom.<measure>');
        }
        const key = `${CUSTOM_MEASURE_PREFIX}${property.name}`;
        need(key, 'current');
        return (get) => get(key);
      }
      case 'UnaryExpression': {
        const unary = node as jsep.UnaryExpression;
        const arg = build(unary.argument);
        if (unary.operator === '-') return (g, m) => -arg(g, m);
        if (unary.operator === '+') return arg;
        if (unary.operator === '!') return (g, m) => Number(arg(g, m) === 0);
        throw invalid(path, `the operator ${unary.operator} is not allowed`);
      }
      case 'BinaryExpression': {
        const binary = node as jsep.BinaryExpression;
        const op = BINARY[binary.operator];
        if (!op)
          throw invalid(
            path,
            `the operator ${binary.operator} is not allowed (use pow(a, b) for powers)`,
          );
        const left = build(binary.left);
        const right = build(binary.right);
        return (g, m) => op(left(g, m), right(g, m));
      }
      case 'ConditionalExpression': {
        const c = node as jsep.ConditionalExpression;
        const test = build(c.test);
        const yes = build(c.consequent);
        const no = build(c.alternate);
        return (g, m) => {
          const t = test(g, m);
          return Number.isNaN(t) ? Number.NaN : t !== 0 ? yes(g, m) : no(g, m);
        };
      }
      case 'CallExpression': {
        const call = node as jsep.CallExpression;
        const callee = call.callee as jsep.Identifier;
        if (callee.type !== 'Identifier')
          throw invalid(path, 'only the listed functions may be called');
        const lag = LAG_FUNCTIONS[callee.name];
        if (lag) {
          const arg = call.arguments[0] as jsep.Identifier | undefined;
          if (
            call.arguments.length !== 1 ||
            arg?.type !== 'Identifier' ||
            !BASE_MEASURE_KEYS.has(arg.name)
          ) {
            throw invalid(
              path,
              `${callee.name}() takes one base measure, e.g. ${callee.name}(sales_amount)`,
            );
          }
          const measure = arg.name;
          need(measure, lag);
          return (get) => get(measure, lag);
        }
        if (callee.name === 'coalesce') {
          const args = call.arguments.map(build);
          if (args.length < 2) throw invalid(path, 'coalesce() takes at least two values');
          return (g, m) => {
            for (const a of args) {
              const v = a(g, m);
              if (!Number.isNaN(v)) return v;
            }
            return Number.NaN;
          };
        }
        const f = FUNCTIONS[callee.name];
        if (!f) {
          throw invalid(
            path,
            `${callee.name}() is not a function; use ${[...Object.keys(FUNCTIONS), 'coalesce', 'prev', 'year_ago'].join(', ')}`,
          );
        }
        if (call.arguments.length < f.arity[0] || call.arguments.length > f.arity[1]) {
          throw invalid(
            path,
            `${callee.name}() takes ${f.arity[0] === f.arity[1] ? f.arity[0] : `${f.arity[0]} to ${f.arity[1]}`} argument(s)`,
          );
        }
        const args = call.arguments.map(build);
        return (g, m) => f.fn(...args.map((a) => a(g, m)));
      }
      default:
        throw invalid(path, `a ${node.type} is not allowed in a formula`);
    }
  };

  const evaluate = build(ast);
  return { needs: [...needs.values()], metrics: [...metrics], evaluate };
}

function invalid(path: string, reason: string): DomainError {
  return new DomainError('validation_failed', `${path}: the formula ${reason}.`, { path, reason });
}
