/** Deleting a source takes its calls with it: the operator types its name or id to say which one. */
export function confirmsDeletion(source: { id: string; name: string }, typed: string): boolean {
  const answer = typed.trim();
  return answer.length > 0 && (answer === source.name.trim() || answer.toLowerCase() === source.id);
}
