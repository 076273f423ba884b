/**
 * A finished lshift deployment (promoted, rolled back) whose alias is split again: someone else's
 * AWS CodeDeploy deployment on the function's group (a hotfix `aws deploy create-deployment`, a SAM
 * deploy) drives that split. `status` and `check` called it STALLED ("recorded promoted, but the
 * alias still routes … nobody drives it") and advised `lshift alias`, which CodeDeploy undid seconds
 * later; every scheduled check paged during a legitimate deployment (found by a hostile pass). The
 * group is the one `lshift codedeploy init` made (the config file's names, else the defaults).
 * Best effort: no such group, no permission, no answer — nothing is known to drive it.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_ListDeployments.html
 */
import type { CodeDeployPort } from '../ports/codedeploy.js';
import { describeDeployment, type GroupRef, lookUpGroup } from './codedeploy-group.js';

/** The running deployment on `group`, described (`d-X (InProgress, "hotfix")`), if any. */
export async function findCodeDeployDriver(
  codedeploy: CodeDeployPort | undefined,
  group: GroupRef | undefined,
): Promise<string | undefined> {
  if (!codedeploy || !group) return undefined;
  try {
    const [first] = (await lookUpGroup(codedeploy, group, undefined)).others;
    return first ? describeDeployment(first) : undefined;
  } catch {
    return undefined;
  }
}
