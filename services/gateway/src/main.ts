import { runService } from '@lessor/service-kit';
import { gatewayService } from './gateway.service.ts';

await runService(gatewayService);
