/** Escapes text for HTML element content and attribute values (model and user text is hostile). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A fragment id safe in URLs and attributes, stable for a (task, trial). */
export function episodeAnchor(taskId: string, trial: number): string {
  return `ep-${taskId.replace(/[^A-Za-z0-9_-]/g, '_')}-${trial}`;
}
