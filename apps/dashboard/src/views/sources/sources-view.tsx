/**
 * Sources (issue 11): webhook sources and their keys, for admin keys. The sources API is being built
 * separately; this view is where it goes, behind RequireAdmin and the Sources link in the navigation.
 */
export function SourcesView() {
  return (
    <section aria-labelledby="sources-title">
      <h1 id="sources-title">Sources</h1>
      <p>Sources are not available in this version yet.</p>
    </section>
  );
}
