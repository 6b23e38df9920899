/**
 * The default prefilled-message template per language: {text} is the link's own prefill or the
 * preset phrase, {code} the visit code. Worded like an order reference, so customers leave it in.
 */
const TEMPLATES: Record<string, string> = {
  ru: '{text}\n\nНомер обращения: {code}',
  uk: '{text}\n\nНомер звернення: {code}',
  be: '{text}\n\nНумар звароту: {code}',
  kk: '{text}\n\nӨтініш нөмірі: {code}',
  uz: '{text}\n\nMurojaat raqami: {code}',
  en: '{text}\n\nRef: {code}',
  de: '{text}\n\nAnfrage-Nr.: {code}',
  es: '{text}\n\nN.º de consulta: {code}',
  pt: '{text}\n\nN.º do pedido: {code}',
  fr: '{text}\n\nRéf. : {code}',
  it: '{text}\n\nRif.: {code}',
  tr: '{text}\n\nTalep no: {code}',
};

export const DEFAULT_LANGUAGE = 'ru';

/** Template for a language tag like "ru", "ru-RU" or "pt-BR"; falls back to English. */
export function defaultTemplate(language: string | null | undefined): string {
  const base = (language ?? DEFAULT_LANGUAGE).toLowerCase().split(/[-_]/)[0]!;
  return TEMPLATES[base] ?? TEMPLATES.en!;
}
