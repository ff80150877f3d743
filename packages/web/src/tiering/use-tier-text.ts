import type { AssessedMetric, MetricCatalogue, TierDefinition } from '@tierline/contract';
import { useMemo } from 'react';
import { useFormat } from '../format/use-money';
import type { Locale } from '../i18n/messages';
import { useI18n } from '../i18n/locale';
import { builtInMetrics } from './builtin-metrics';
import { useCan, useCatalogue } from './tier-api';
import type { MetricInfo, TextKit } from './tier-text';

/**
 * Looks a metric up: the catalogue's name in the UI language when the caller may read it
 * (staff), else the console's copy of the built-in metrics (the portal), else the name the
 * assessment recorded (a custom metric's), else its key.
 */
export function metricLookup(
  locale: Locale,
  catalogue: MetricCatalogue | undefined,
  assessed: readonly AssessedMetric[],
): (key: string) => MetricInfo {
  const known = new Map<string, MetricInfo>();
  for (const m of assessed) {
    known.set(m.key, { key: m.key, name: m.name, unit: m.unit, direction: m.direction });
  }
  for (const [key, m] of Object.entries(builtInMetrics)) {
    known.set(key, {
      key,
      name: locale === 'zh-CN' ? m.zh : m.en,
      unit: m.unit,
      direction: m.direction,
    });
  }
  for (const m of catalogue?.metrics ?? []) {
    known.set(m.key, {
      key: m.key,
      name: locale === 'zh-CN' ? m.name.zh : m.name.en,
      unit: m.unit,
      direction: m.direction,
    });
  }
  return (key) => known.get(key) ?? { key, name: key, unit: null, direction: null };
}

/** The sentences' kit for a set of tiers and the metrics an assessment scored. */
export function useTierText(
  tiers: readonly TierDefinition[],
  assessed: readonly AssessedMetric[] = [],
): TextKit {
  const { t, locale } = useI18n();
  const format = useFormat();
  const can = useCan();
  const catalogue = useCatalogue(can('policies:read')).data;
  return useMemo(() => {
    const metric = metricLookup(locale, catalogue, assessed);
    const names = new Map(tiers.map((tier) => [tier.code, tier.name]));
    return {
      t,
      format,
      metric,
      tierName: (code) => names.get(code) ?? code,
      lowerNames: locale === 'en-US',
    };
  }, [t, locale, format, catalogue, assessed, tiers]);
}
