export {
  ACCESS_TOKEN_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  type AccessTokenAlgorithm,
  type AccessTokenClaims,
} from './access-token.ts';
export { hasPermission, InvalidPermissionError, parsePermission, type Permission } from './permissions.ts';
export {
  createServiceTokenProvider,
  ServiceTokenError,
  type ServiceTokenProvider,
  type ServiceTokenProviderOptions,
} from './service-token-provider.ts';
export {
  createTokenVerifier,
  TokenRejectedError,
  type KeySetStatus,
  type Principal,
  type TokenRejection,
  type TokenVerifier,
  type VerifierOptions,
} from './token-verifier.ts';
