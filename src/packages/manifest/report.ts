/** Collects validation issues while a manifest is parsed. */

import type { Element } from '@xmldom/xmldom';
import type { Issue, ValidationReport } from '../course-model';
import { parseBool, parseDecimal, pathOf } from './xml';

/** Mutable collector; `report()` freezes the result into a {@link ValidationReport}. */
export class Reporter {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];

  error(code: string, message: string, at?: Element | string): void {
    this.errors.push(issue(code, message, at));
  }

  warn(code: string, message: string, at?: Element | string): void {
    this.warnings.push(issue(code, message, at));
  }

  report(): ValidationReport {
    return { errors: [...this.errors], warnings: [...this.warnings] };
  }

  /** Boolean attribute with a default; an invalid value warns and falls back to the default. */
  bool(el: Element, name: string, value: string | undefined, dflt: boolean): boolean {
    const b = parseBool(value);
    if (b === 'invalid') {
      this.warn('invalid_value', `<${el.localName}> attribute ${name}="${value}" is not a boolean; using ${dflt}`, el);
      return dflt;
    }
    return b ?? dflt;
  }

  /** Decimal attribute/text within [min, max]; invalid or out of range warns and yields `dflt`. */
  decimal(el: Element, name: string, value: string | undefined, min: number, max: number, dflt?: number): number | undefined {
    const n = parseDecimal(value);
    if (n === undefined) return dflt;
    if (Number.isNaN(n) || n < min || n > max) {
      this.warn('invalid_value', `<${el.localName}> ${name}="${value}" is not a number between ${min} and ${max}; ${dflt === undefined ? 'ignored' : `using ${dflt}`}`, el);
      return dflt;
    }
    return n;
  }

  /** Token from a vocabulary; unknown values warn and yield `dflt`. */
  token<T extends string>(el: Element, name: string, value: string | undefined, allowed: readonly T[], dflt: T): T;
  token<T extends string>(el: Element, name: string, value: string | undefined, allowed: readonly T[], dflt?: T): T | undefined;
  token<T extends string>(el: Element, name: string, value: string | undefined, allowed: readonly T[], dflt?: T): T | undefined {
    if (value === undefined) return dflt;
    const t = value.trim();
    if ((allowed as readonly string[]).includes(t)) return t as T;
    this.warn('unknown_value', `<${el.localName}> ${name}="${value}" is not one of ${allowed.join(', ')}; ${dflt === undefined ? 'ignored' : `using ${dflt}`}`, el);
    return dflt;
  }
}

function issue(code: string, message: string, at?: Element | string): Issue {
  const out: Issue = { code, message };
  if (at !== undefined) out.path = typeof at === 'string' ? at : pathOf(at);
  return out;
}
