import { GraphQLError, Kind, type ASTVisitor, type OperationDefinitionNode, type ValidationContext, type ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';

/**
 * What one GraphQL operation may cost before any resolver runs (docs/SECURITY.md, "Query cost").
 * Every field runs its resolver once per response key, so aliases multiply the work of one
 * request (5,000 aliases of `agreement` took 10 s); depth multiplies list fields. The web app's
 * largest operation uses 0 aliases, 8 root fields and depth 5.
 */
export interface QueryLimits {
  aliases: number;
  depth: number;
  rootFields: number;
  /** Lexical tokens per document, enforced by the parser before anything else (graphql-js maxTokens). */
  tokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { aliases: 20, depth: 10, rootFields: 15, tokens: 5000 };

/** Fields that must run at most once per operation: each `login` makes a session and a password check. */
const ONCE_PER_OPERATION = ['login'];

/** The armor rules report through the validation context instead of throwing, so Apollo answers with a plain validation error (BAD_INPUT). */
function reportAs(message: (found: string) => string) {
  return [(ctx: ValidationContext | null, err: GraphQLError) => {
    const found = /found (\d+)/.exec(err.message)?.[1] ?? 'more';
    ctx?.reportError(new GraphQLError(message(found)));
  }];
}

/** Counts root fields per operation, through fragments (each fragment spread counted where it is used). */
function rootFieldsRule(max: number): ValidationRule {
  return (context) => {
    const count = (sel: OperationDefinitionNode['selectionSet'], seen: Set<string>): number => {
      let n = 0;
      for (const s of sel.selections) {
        if (s.kind === Kind.FIELD) n += s.name.value.startsWith('__') ? 0 : 1;
        else if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet, seen);
        else if (!seen.has(s.name.value)) {
          seen.add(s.name.value);
          const f = context.getFragment(s.name.value);
          if (f) n += count(f.selectionSet, seen);
        }
      }
      return n;
    };
    return {
      OperationDefinition(op) {
        const n = count(op.selectionSet, new Set());
        if (n > max) context.reportError(new GraphQLError(`An operation may ask for at most ${max} top-level fields; this one asks for ${n}. Split it into several requests.`, { nodes: [op] }));
      },
    } satisfies ASTVisitor;
  };
}

/**
 * Refuses a document holding a once-per-operation mutation field twice. Field nodes are counted
 * (a fragment's fields once): two nodes with the same response key merge into one execution, so
 * only distinct nodes can run it more than once.
 */
function oncePerOperationRule(fields: readonly string[]): ValidationRule {
  return (context) => {
    const seen = new Map<string, number>();
    return {
      Field(node) {
        if (context.getParentType()?.name !== context.getSchema().getMutationType()?.name) return;
        const name = node.name.value;
        if (!fields.includes(name)) return;
        const n = (seen.get(name) ?? 0) + 1;
        seen.set(name, n);
        if (n === 2) context.reportError(new GraphQLError(`Send one ${name} per request.`, { nodes: [node] }));
      },
    } satisfies ASTVisitor;
  };
}

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxAliasesRule({
      n: limits.aliases, propagateOnRejection: false,
      onReject: reportAs((found) => `An operation may use at most ${limits.aliases} aliases; this one uses ${found}. Split it into several requests.`),
    }) as ValidationRule,
    maxDepthRule({
      n: limits.depth, ignoreIntrospection: true, propagateOnRejection: false,
      onReject: reportAs((found) => `An operation may nest at most ${limits.depth} levels deep; this one nests ${found}.`),
    }) as ValidationRule,
    rootFieldsRule(limits.rootFields),
    oncePerOperationRule(ONCE_PER_OPERATION),
  ];
}
