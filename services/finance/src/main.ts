import { runService } from '@lessor/service-kit';
import { financeService } from './finance.service.ts';

await runService(financeService);
