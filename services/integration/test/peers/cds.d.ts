// @sap/cds 9 ships no TypeScript types (they are @cap-js/cds-types, not installed: the peers use a handful of calls).
declare module '@sap/cds' {
  const cds: any;
  export = cds;
}
