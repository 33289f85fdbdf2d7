import type { Area } from './area.ts';
import { administrationArea } from './administration/index.tsx';
import { assetsArea } from './assets/index.tsx';
import { auditArea } from './audit/index.tsx';
import { billingArea } from './billing/index.tsx';
import { calculatorArea } from './calculator/index.tsx';
import { contractsArea } from './contracts/index.tsx';
import { financeArea } from './finance/index.tsx';
import { integrationsArea } from './integrations/index.tsx';
import { partiesArea } from './parties/index.tsx';
import { productsArea } from './products/index.tsx';

/** The areas of the interface, in menu order. */
export const AREAS: readonly Area[] = [
  partiesArea,
  calculatorArea,
  productsArea,
  contractsArea,
  assetsArea,
  billingArea,
  financeArea,
  integrationsArea,
  auditArea,
  administrationArea,
];
