import { runService } from '@lessor/service-kit';
import { assetsService } from './assets.service.ts';

await runService(assetsService);
