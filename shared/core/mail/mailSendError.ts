// The class lives with the app's other coded errors; this path stays for its importers.
export { MailSendError } from '../errors';
