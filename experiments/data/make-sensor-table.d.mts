/** The example sensor table as CSV text (header sensor1…sensor8, regime); see make-sensor-table.mjs. */
export function sensorTable(seed?: number, normalRows?: number, faultRows?: number): string;
