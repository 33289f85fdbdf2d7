import { runService } from '@lessor/service-kit';
import { leasingService } from './leasing.service.ts';

await runService(leasingService);
