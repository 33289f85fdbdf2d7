import type { Area } from '../area.ts';
import { CalculatorPage } from './CalculatorPage.tsx';
import { calculatorTexts } from './texts.ts';

/** The lease calculator: terms within a product's frame, the schedule as table and chart, saved by the API, a contract from it. */
export const calculatorArea: Area = {
  key: 'calculator',
  nav: [{ path: '/calculator', label: 'nav.calculator', permission: 'leasing:calculations:write' }],
  pages: [
    { path: 'calculator', permission: 'leasing:calculations:write', element: <CalculatorPage /> },
    // A saved calculation, its terms back in the form (reading it needs leasing:calculations:read too).
    { path: 'calculator/:id', permission: 'leasing:calculations:write', element: <CalculatorPage /> },
  ],
  texts: calculatorTexts,
};
