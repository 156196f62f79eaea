import { GraphQLError, Kind, type ASTVisitor, type OperationDefinitionNode, type ValidationContext, type ValidationRule } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';

/**
 * What one GraphQL operation may cost before any resolver runs (docs/SECURITY.md, "Query cost").
 * Every field runs its resolver once per response key, so aliases multiply the work of one
 * request (5,000 aliases of `agreement` took 10 s); depth multiplies list fields. The web app's
 * operations use at most 4 root fields and depth 5 (test/query-cost.test.ts checks each).
 */
export interface QueryLimits {
  aliases: number;
  depth: number;
  rootFields: number;
  /** Lexical tokens per document, enforced by the parser before anything else (graphql-js maxTokens). */
  tokens: number;
  /** `login` fields per document: each makes a session and costs a password hash. */
  logins: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { aliases: 20, depth: 10, rootFields: 15, tokens: 5000, logins: 1 };

/** The armor rules report through the validation context instead of throwing, so Apollo answers with a plain validation error (BAD_INPUT). */
function reportAs(message: (found: string) => string) {
  return [
    (ctx: ValidationContext | null, err: GraphQLError) => {
      const found = /found (\d+)/.exec(err.message)?.[1] ?? 'more';
      ctx?.reportError(new GraphQLError(message(found)));
    },
  ];
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
        if (n > max)
          context.reportError(
            new GraphQLError(`An operation may ask for at most ${max} top-level fields; this one asks for ${n}. Split it into several requests.`, {
              nodes: [op],
            }),
          );
      },
    } satisfies ASTVisitor;
  };
}

/**
 * Refuses a document holding the mutation field `name` more than `max` times. Field nodes are
 * counted (a fragment's fields once): two nodes with the same response key merge into one
 * execution, so only distinct nodes can run it more than once.
 */
function mutationFieldLimitRule(name: string, max: number): ValidationRule {
  return (context) => {
    let n = 0;
    return {
      Field(node) {
        if (node.name.value !== name || context.getParentType()?.name !== context.getSchema().getMutationType()?.name) return;
        n += 1;
        if (n === max + 1)
          context.reportError(new GraphQLError(max === 1 ? `Send one ${name} per request.` : `Send at most ${max} ${name} per request.`, { nodes: [node] }));
      },
    } satisfies ASTVisitor;
  };
}

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxAliasesRule({
      n: limits.aliases,
      propagateOnRejection: false,
      onReject: reportAs((found) => `An operation may use at most ${limits.aliases} aliases; this one uses ${found}. Split it into several requests.`),
    }) as ValidationRule,
    maxDepthRule({
      n: limits.depth,
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: reportAs((found) => `An operation may nest at most ${limits.depth} levels deep; this one nests ${found}.`),
    }) as ValidationRule,
    rootFieldsRule(limits.rootFields),
    mutationFieldLimitRule('login', limits.logins),
  ];
}
