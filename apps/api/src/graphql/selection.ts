import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the operation selects any of `names` directly under the current field (through inline
 * fragments and fragment spreads too): work a client did not ask for is not done.
 */
export function selectsField(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((sel) => {
      if (sel.kind === 'Field') return names.includes(sel.name.value);
      if (sel.kind === 'InlineFragment') return walk(sel.selectionSet);
      if (seen.has(sel.name.value)) return false;
      seen.add(sel.name.value);
      return walk(info.fragments[sel.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((n) => walk(n.selectionSet));
}
