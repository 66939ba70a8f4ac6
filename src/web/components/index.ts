export { Badge, type BadgeTone, type Visibility, VisibilityBadge } from './Badge.tsx';
export { Button, ButtonLink, type ButtonVariant, buttonClass } from './Button.tsx';
export { ConfirmDialog, Dialog } from './Dialog.tsx';
export { EmptyState } from './EmptyState.tsx';
export { ErrorState } from './ErrorState.tsx';
export {
  CopyField,
  PasswordField,
  RadioGroup,
  type RadioOption,
  Select,
  type SelectOption,
  TextField,
  Textarea,
} from './fields.tsx';
export { Loading, Skeleton } from './Loading.tsx';
export { LoadMore } from './Pagination.tsx';
export { SaveStatus } from './SaveStatus.tsx';
export { SkipLink } from './SkipLink.tsx';
export { type Column, type SortState, Table } from './Table.tsx';
