import { actorOf, type ServiceApp } from '@lessor/service-kit';
import type { IncomeRecognitionService } from './income-recognition.service.ts';
import { RecognitionRequest, RecognitionResult } from './income.schemas.ts';

/** The admin call of income recognition (the job does the same on its schedule). */
export function registerIncomeRoutes(
  app: ServiceApp,
  income: IncomeRecognitionService,
  defaults: { legalEntity: string },
): void {
  app.post(
    '/v1/income-recognition-runs',
    {
      config: { permission: 'finance:income:write' },
      schema: {
        tags: ['income recognition'],
        summary: 'Recognise finance income up to a date',
        description:
          'For each installment of every kept lease schedule due on or before `upTo` (and, for a terminated lease, on or before its termination date): Dr 2300 unearned finance income / Cr 4000 interest income, its interest, dated its due date. Idempotent per contract and installment.',
        body: RecognitionRequest,
        response: { 200: RecognitionResult },
      },
    },
    async (request) =>
      income.recognise(
        request.body?.legalEntity ?? defaults.legalEntity,
        request.body?.upTo,
        actorOf(request),
      ),
  );
}
