import { runService } from '@lessor/service-kit';
import { billingService } from './billing.service.ts';

await runService(billingService);
