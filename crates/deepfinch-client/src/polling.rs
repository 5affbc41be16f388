//! Waiting for a cloud OCR task: poll while the API answers `TASK_INPROGRESS`.

use std::time::Duration;

use credkit_runtime::client::error::ClientError;
use deepfinch_models::cloud::task_result::{CloudStatus, CloudTaskResult};

use crate::cloud::CloudClient;

/// How often and how long to poll a cloud task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollPolicy {
    /// Polls in all, the first included.
    pub max_polls: u32,
    /// Wait between two polls.
    pub interval: Duration,
}

impl Default for PollPolicy {
    /// 60 polls, 5 s apart.
    fn default() -> Self {
        PollPolicy {
            max_polls: 60,
            interval: Duration::from_secs(5),
        }
    }
}

impl CloudClient {
    /// Asks for the result of `task_id` until the API stops answering `TASK_INPROGRESS`, at most
    /// `policy.max_polls` times; then [`ClientError::StillInProgress`]. Any other vendor error
    /// ends the wait at once.
    pub async fn wait_for_task_result(
        &self,
        task_id: &str,
        policy: &PollPolicy,
    ) -> Result<CloudTaskResult, ClientError> {
        let polls = policy.max_polls.max(1);
        for poll in 1..=polls {
            let result = self.get_credit_report_ocr_task_result(task_id).await?;
            if result.status != Some(CloudStatus::TaskInprogress) {
                return Ok(result);
            }
            if poll < polls {
                tokio::time::sleep(policy.interval).await;
            }
        }
        Err(ClientError::StillInProgress {
            task_id: task_id.to_owned(),
            polls,
        })
    }
}
