import { eventCatalog, publishers } from './catalog.ts';
import { consumersOf, eventConsumers } from './consumers.ts';
import type { EventDefinition } from './define-event.ts';
import { toJsonSchema, typeLabel, type JsonSchema } from './json-schema.ts';
import { EventEnvelopeSchema } from './validate.ts';

/** One documented field of an event's data: a dotted path (`after.roles[].name`) and what the schema says. */
export interface EventField {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/**
 * The fields of a schema, flattened: each property, then the properties of an object it holds (directly, in
 * a nullable union, or as array items) under its dotted path.
 */
export function eventFields(schema: JsonSchema, prefix = ''): EventField[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const field: EventField = {
      name: path,
      type: typeLabel(property),
      required: required.has(name),
      description: typeof property.description === 'string' ? property.description : '',
    };
    return [field, ...nestedFields(property, path)];
  });
}

function nestedFields(property: JsonSchema, path: string): EventField[] {
  if (property.type === 'object') return eventFields(property, `${path}.`);
  if (property.type === 'array' && isSchema(property.items) && property.items.type === 'object') {
    return eventFields(property.items, `${path}[].`);
  }
  const union = property.anyOf ?? property.oneOf;
  if (Array.isArray(union)) {
    const objects = union.filter((part): part is JsonSchema => isSchema(part) && part.type === 'object');
    if (objects.length === 1 && objects[0]) return eventFields(objects[0], `${path}.`);
  }
  return [];
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * docs/events.md: the envelope, who consumes what, then for each publisher each event — its type, when it
 * fires, its subject, its data fields and who consumes it. Generated; a test fails when the file differs.
 */
export function renderEventDocs(): string {
  const lines: string[] = [
    '# Events',
    '',
    'Every event type in Lessor: when it fires, what it carries and who reads it. This file is generated from',
    '`@lessor/event-catalog` (`node --import tsx packages/event-catalog/src/render-docs.ts write`); a test fails',
    'when it is out of date. How to add or change an event: [packages/event-catalog/README.md](../packages/event-catalog/README.md).',
    '',
    'Events travel as CloudEvents 1.0 envelopes (JSON) on the `lessor.events` topic exchange; the routing key is',
    'the `type`. Each consuming service has one durable queue, `lessor.<service>`, bound with the types or patterns',
    'below (`*` = one word, `#` = any number). Each service serves its AsyncAPI document at `/asyncapi.json`.',
    '',
    '## Envelope',
    '',
    ...fieldTable(eventFields(toJsonSchema(EventEnvelopeSchema))),
    '',
    '## Consumers',
    '',
    ...table(
      ['service', 'binds', 'why'],
      eventConsumers.map((consumer) => [
        consumer.service,
        consumer.types.map((type) => code(type)).join('<br>'),
        cell(consumer.purpose),
      ]),
    ),
  ];
  for (const publisher of publishers()) {
    const events = eventCatalog.filter((definition) => definition.publisher === publisher);
    lines.push(
      '',
      `## ${publisher}`,
      '',
      ...table(
        ['type', 'category', 'consumed by'],
        events.map((definition) => [
          `[${code(definition.type)}](#${anchor(definition.type)})`,
          definition.category,
          consumerList(definition),
        ]),
      ),
    );
    for (const definition of events) lines.push('', ...eventSection(definition));
  }
  return `${lines.join('\n')}\n`;
}

function eventSection(definition: EventDefinition): string[] {
  return [
    `### ${definition.type}`,
    '',
    definition.description,
    '',
    `Category: ${definition.category}. Subject: ${code(`data.${definition.subject}`)}. ` +
      `Consumed by: ${consumerList(definition)}.`,
    '',
    ...fieldTable(eventFields(toJsonSchema(definition.data))),
  ];
}

function fieldTable(fields: EventField[]): string[] {
  return table(
    ['field', 'type', 'required', 'description'],
    fields.map((field) => [
      code(field.name),
      code(field.type),
      field.required ? 'yes' : 'no',
      cell(field.description),
    ]),
  );
}

/** A Markdown table with padded columns, as Prettier writes it, so formatting the repository leaves it alone. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(header), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...rows.map(line)];
}

function consumerList(definition: EventDefinition): string {
  const consumers = consumersOf(definition.type);
  return consumers.length === 0 ? 'nobody yet' : consumers.map((consumer) => consumer.service).join(', ');
}

function code(text: string): string {
  return `\`${text.replaceAll('|', '\\|')}\``;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The anchor GitHub makes for a heading made of the type alone. */
function anchor(type: string): string {
  return type.replaceAll('.', '');
}
