/**
 * One error shape for the whole product: a stable machine code (UPPER_SNAKE) and a message in plain
 * Chinese that can be shown to the person as is. Optional `issues` carry field-level detail
 * (path + Chinese message) for forms; `details` carries safe, non-personal context.
 */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface AppErrorShape {
  code: string;
  message: string;
  issues?: FieldIssue[];
  details?: Record<string, unknown>;
}

export class DomainError extends Error implements AppErrorShape {
  readonly code: string;
  readonly issues?: FieldIssue[];
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, extra: { issues?: FieldIssue[]; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    if (extra.issues) this.issues = extra.issues;
    if (extra.details) this.details = extra.details;
  }

  toJSON(): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, message: this.message };
    if (this.issues) shape.issues = this.issues;
    if (this.details) shape.details = this.details;
    return shape;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
