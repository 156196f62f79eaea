import pino, { type Logger } from 'pino';

/**
 * Structured logs. Requests are logged by route pattern, never by full URL or body, and the
 * redact list catches fields that could carry identity if someone logs a row by mistake.
 */
export function createLogger(level = process.env.LOG_LEVEL || 'info', name = 'concord-api'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'password',
        '*.password',
        'token',
        '*.token',
        'patientId',
        '*.patientId',
        'PatientName',
        '*.PatientName',
        'PatientID',
        '*.PatientID',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
