/** Language maps from `lang`-attributed elements (tincan.xml) or `<langstring lang>` children (cmi5.xml). */

import type { Element } from '@xmldom/xmldom';
import type { LanguageMap } from '../course-model';
import { attr, elementChildren, textOf } from './xml';

/** Adds each element's text under its `lang` (`und` when absent); the first text per language wins. */
export function langMapOf(elements: readonly Element[]): LanguageMap {
  const map: LanguageMap = {};
  for (const e of elements) {
    const text = textOf(e);
    if (!text) continue;
    const lang = attr(e, 'lang') || e.getAttribute('xml:lang') || 'und';
    if (!(lang in map)) map[lang] = text;
  }
  return map;
}

/** Language map of the `<langstring>` children of `holder`. */
export function langStrings(holder: Element | undefined): LanguageMap {
  return holder ? langMapOf(elementChildren(holder).filter((e) => e.localName === 'langstring')) : {};
}

/** A display string from a language map: preferred language, then en*, then the first entry. */
export function pickText(map: LanguageMap, prefer?: string): string | undefined {
  if (prefer && map[prefer]) return map[prefer];
  const en = Object.keys(map).find((k) => k.toLowerCase().startsWith('en'));
  if (en) return map[en];
  return Object.values(map)[0];
}

/** The language a display string was picked from (mirrors {@link pickText}). */
export function pickLang(map: LanguageMap): string | undefined {
  const en = Object.keys(map).find((k) => k.toLowerCase().startsWith('en'));
  const lang = en ?? Object.keys(map)[0];
  return lang === 'und' ? undefined : lang;
}
