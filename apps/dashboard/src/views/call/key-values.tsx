/** A JSON object as a definition list; nested values as compact JSON. */
export function KeyValues({
  value,
  empty,
}: {
  value: Record<string, unknown> | null | undefined;
  empty: string;
}) {
  const entries = Object.entries(value ?? {});
  if (entries.length === 0) return <p className="empty">{empty}</p>;
  return (
    <dl className="key-values">
      {entries.map(([key, item]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{typeof item === 'string' ? item : JSON.stringify(item)}</dd>
        </div>
      ))}
    </dl>
  );
}
