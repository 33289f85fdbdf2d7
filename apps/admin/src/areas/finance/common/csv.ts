import { ApiError, isProblem } from '../../../api/problem.ts';

/** The file name a `Content-Disposition: attachment; filename="…"` answer suggests, if any. */
export function attachmentName(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (encoded?.[1]) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // A malformed encoded name: fall back to the plain one.
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  // Only a name, never a path.
  return name ? name.replace(/[/\\]/g, '_') : null;
}

/**
 * Fetches a report as CSV through the typed client — so the call carries the session's token (a plain link
 * would not) — and saves it as a file under the name the API gives, else `fallbackName`.
 */
export async function saveCsv(
  fetchCsv: () => Promise<{ data?: Blob; error?: unknown; response: Response }>,
  fallbackName: string,
): Promise<string> {
  let answer: { data?: Blob; error?: unknown; response: Response };
  try {
    answer = await fetchCsv();
  } catch (cause) {
    throw new ApiError({ title: 'The server could not be reached', status: 0, detail: String(cause) });
  }
  const { data, error, response } = answer;
  if (!response.ok || !data) {
    throw new ApiError(
      isProblem(error) ? error : { title: response.statusText || 'Request failed', status: response.status },
    );
  }
  const name = attachmentName(response.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(new Blob([data], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has started from the click; the URL is not needed after this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return name;
}
