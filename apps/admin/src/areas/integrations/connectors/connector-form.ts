import {
  PRESETS,
  type AuthInput,
  type AuthKind,
  type ConnectionSettings,
  type Connector,
  type ConnectorChange,
  type ConnectorKind,
  type ConnectorProtocol,
  type MappingPreset,
  type NewConnector,
} from '../types.ts';

/** What the connector form holds, as typed. The secret is never filled from the server: it starts empty. */
export interface ConnectorFormValues {
  name: string;
  kind: ConnectorKind;
  protocol: ConnectorProtocol;
  baseUrl: string;
  authKind: AuthKind;
  username: string;
  tokenUrl: string;
  clientId: string;
  scope: string;
  secret: string;
  preset: MappingPreset;
  schedule: string;
  enabled: boolean;
}

export function connectorFormValues(connector?: Connector): ConnectorFormValues {
  const auth = connector?.auth;
  return {
    name: connector?.name ?? '',
    kind: connector?.kind ?? 'crm',
    protocol: connector?.protocol ?? 'odata-v4',
    baseUrl: connector?.baseUrl ?? '',
    authKind: auth?.kind ?? 'oauth2',
    username: auth?.kind === 'basic' ? auth.username : '',
    tokenUrl: auth?.kind === 'oauth2' ? auth.tokenUrl : '',
    clientId: auth?.kind === 'oauth2' ? auth.clientId : '',
    scope: auth?.kind === 'oauth2' ? (auth.scope ?? '') : '',
    // Write-only: whatever is stored stays on the server.
    secret: '',
    preset: connector?.mapping.preset ?? 'dynamics',
    schedule: connector?.schedule ?? '',
    enabled: connector?.enabled ?? true,
  };
}

/** A cron expression of five fields (minute hour day month weekday), or six with seconds first; the API judges the values. */
export function isCron(value: string): boolean {
  const fields = value.trim().split(/\s+/).length;
  return fields === 5 || fields === 6;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The presets a kind of connector offers; a connector's own preset stays offered if it is another. */
export function presetsFor(kind: ConnectorKind, current?: MappingPreset): MappingPreset[] {
  const offered = [...PRESETS[kind]];
  return current && !offered.includes(current) ? [...offered, current] : offered;
}

/**
 * How the connector signs in, as the API takes it. The secret (basic: `password`, OAuth2: `clientSecret`) goes
 * only when one was typed: an empty field keeps the stored one.
 */
export function authBody(values: ConnectorFormValues): AuthInput {
  const secret = values.secret;
  if (values.authKind === 'basic')
    return {
      kind: 'basic',
      username: values.username.trim(),
      ...(secret === '' ? {} : { password: secret }),
    };
  if (values.authKind === 'oauth2')
    return {
      kind: 'oauth2',
      tokenUrl: values.tokenUrl.trim(),
      clientId: values.clientId.trim(),
      ...(values.scope.trim() === '' ? {} : { scope: values.scope.trim() }),
      ...(secret === '' ? {} : { clientSecret: secret }),
    };
  return { kind: 'none' };
}

/** The connector as the API takes it (a mapping by its preset: the preset fills it). */
export function connectorBody(values: ConnectorFormValues): NewConnector {
  return {
    name: values.name.trim(),
    kind: values.kind,
    protocol: values.protocol,
    baseUrl: values.baseUrl.trim(),
    auth: authBody(values),
    mapping: { preset: values.preset },
    schedule: values.schedule.trim() === '' ? null : values.schedule.trim(),
    enabled: values.enabled,
  };
}

/**
 * A change of a saved connector from the form's body: its kind stays what it was made as (the API does not
 * take one), and the mapping is sent only when another preset was chosen — the preset's name alone would put
 * the preset's whole mapping in place of parts adjusted through the API.
 */
export function connectorChange(connector: Connector, body: NewConnector): ConnectorChange {
  const { kind: _kind, mapping, ...change } = body;
  return mapping.preset === connector.mapping.preset ? change : { ...change, mapping };
}

/** What a connection test tries: the settings as typed (the stored secret when none is typed). */
export function testSettings(values: ConnectorFormValues): ConnectionSettings {
  return { protocol: values.protocol, baseUrl: values.baseUrl.trim(), auth: authBody(values) };
}
