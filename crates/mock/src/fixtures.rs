//! The committed fixtures the mock serves, compiled in.

macro_rules! fixture {
    ($name:ident, $path:literal) => {
        pub(crate) const $name: &str = include_str!(concat!("../../../tests/fixtures/", $path));
    };
}

fixture!(
    CLOUD_SUCCESS,
    "deepfinch/cloud/task-result/realistic-success.json"
);
fixture!(
    PRIVATE_SUCCESS,
    "deepfinch/private/credit-report-v2/realistic-success.json"
);
fixture!(
    TENCENT_SUCCESS,
    "deepfinch/tencent/credit-report-v2/realistic-success.json"
);
fixture!(
    JD_SUCCESS,
    "deepfinch/jd/credit-report/realistic-success.json"
);
fixture!(
    DIANHUA_RECORD,
    "dianhua/calls-record/realistic-china-mobile.json"
);
fixture!(DIANHUA_REPORT, "dianhua/calls-report/realistic-report.json");
fixture!(DIANHUA_CUISHOU, "dianhua/cuishou/realistic-cuishou.json");
fixture!(DIANHUA_ITAG, "dianhua/itag/realistic-itag.json");
