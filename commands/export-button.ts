import { answerButton } from './answer-button.ts';
import { type ExportCommandDeps, startExport } from './start-export.ts';

/**
 * The Export CSV button on a report or one of its views: exports what it covers, from the reproducing command in
 * the button's value (so the permission is checked again and the rows are current). The message the button is
 * on stays as it was; replies are new private messages, posted with chat.postEphemeral when the press came
 * after its response_url expired.
 */
export function exportButton(deps: ExportCommandDeps) {
  return answerButton(deps, { replaceWhenNotAllowed: false }, ({ userId, value, client, send, signal }) =>
    startExport(deps, { userId, text: value, client, reply: (message) => send(message), signal }),
  );
}
