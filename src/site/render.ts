import type { Site } from './site.js';

/** A template that could not be rendered: names the template and what is wrong. */
export class TemplateError extends Error {
  constructor(message: string, readonly template: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

export interface Template {
  /** Where it came from, for messages. */
  readonly name: string;
  readonly text: string;
}

/**
 * Render a site's DB_CONFIG from a handlebars template, in an isolated
 * environment, strict (a misspelt field is an error, not an empty string) and
 * without HTML escaping. Handlebars is loaded only here.
 */
export async function renderTemplate(site: Site, template: Template): Promise<string> {
  const { default: Handlebars } = await import('handlebars');
  const hbs = Handlebars.create();
  try {
    const compiled = hbs.compile(template.text, { strict: true, noEscape: true });
    return compiled(site);
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0];
    throw new TemplateError(`template ${template.name}: ${first}`, template.name, { cause: error });
  }
}
