export * from './claim';
export * from './estimate';
