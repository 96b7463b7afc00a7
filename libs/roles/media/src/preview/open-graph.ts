// OpenGraph properties of an HTML page (og:title, og:description, og:image, ...) with
// htmlparser2, falling back as Synapse does to <title> and the description meta tag.
import { Parser } from 'htmlparser2';

export function openGraphOf(html: string): Record<string, string> {
  const og: Record<string, string> = {};
  let title = '';
  let inTitle = false;
  let description: string | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'title') inTitle = true;
        if (name !== 'meta') return;
        const key = attributes['property'] ?? attributes['name'];
        const content = attributes['content'];
        if (key === undefined || content === undefined) return;
        if (key.startsWith('og:') && !(key in og)) og[key] = content;
        if (key === 'description' && description === undefined) description = content;
      },
      ontext(text) {
        if (inTitle) title += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  if (og['og:title'] === undefined && title.trim() !== '') og['og:title'] = title.trim();
  if (og['og:description'] === undefined && description !== undefined) og['og:description'] = description;
  return og;
}
