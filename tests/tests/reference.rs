//! Reference data through the real binaries: an admin imports each kind of file with
//! `onsite-hq … import` while HQ runs, a dispatcher reads it back over HTTPS a page at a time,
//! and a wrong file is refused with the line or entry named and nothing of it stored.

use onsite_e2e::bin;
use onsite_e2e::hq::HqProcess;
use onsite_protocol::reference::{ChecklistList, GuideList, PartList, WarrantyPolicyList};
use onsite_protocol::stock::VanStock;
use reqwest::Method;
use std::path::Path;
use std::process::{Command, Output};

/// `onsite ARGS…` on the device folder `data`.
fn onsite(data: &Path, args: &[&str]) -> Output {
    Command::new(bin("onsite"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("run onsite")
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a reference file");
    path.to_str().expect("utf-8 path").to_string()
}

fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_imports_reference_data_and_a_dispatcher_reads_it() {
    let hq = HqProcess::start();
    hq.add_user("dora", "dispatcher");
    let files = tempfile::tempdir().expect("tempdir");
    let dir = files.path();

    let csv = write(
        dir,
        "parts.csv",
        "sku,name,unit_price,serialized,models\n\
         HX-100,Plate heat exchanger,120.00,true,AirSource 8 kW heat pump\n\
         FLT-2,\"Filter, fine mesh\",4.50,false,\n\
         V-1,Valve,9,false,\n",
    );
    let said = succeeded(&hq.admin(&["parts", "import", &csv]));
    assert!(
        said.contains("imported parts: 3 in the file (3 new"),
        "{said}"
    );
    let bad = write(
        dir,
        "bad.csv",
        "sku,name,unit_price,serialized,models\nNEW-1,New,1,false,\nX 2,Bad,1,false,\n",
    );
    let err = refused(&hq.admin(&["parts", "import", &bad]));
    assert!(
        err.contains("line 3: sku \"X 2\"") && err.contains("nothing was imported"),
        "{err}"
    );

    let checklists = write(
        dir,
        "checklists.json",
        r#"[{"key":"repair","version":1,"title":"Repair","kinds":["repair"],
             "items":[{"key":"tested","label":"Tested after repair","type":"yes_no","required":true}]}]"#,
    );
    succeeded(&hq.admin(&["checklists", "import", &checklists]));
    let changed = write(
        dir,
        "changed.json",
        r#"[{"key":"repair","version":1,"title":"Repair (changed)","kinds":["repair"],
             "items":[{"key":"tested","label":"Tested","type":"yes_no"}]}]"#,
    );
    let err = refused(&hq.admin(&["checklists", "import", &changed]));
    assert!(
        err.contains("entry 1 (\"repair\" version 1): version 1 is already imported"),
        "{err}"
    );

    let policies = write(
        dir,
        "warranty.json",
        r#"[{"model":"AirSource 8 kW heat pump","version":1,"from":"purchase","return_days":7,
             "replace_days":15,"repair_months":24,"max_repairs":2,"excluded_faults":["wear"]}]"#,
    );
    succeeded(&hq.admin(&["warranty", "import", &policies]));

    let guides = dir.join("guides");
    std::fs::create_dir(&guides).expect("mkdir");
    write(
        &guides,
        "airsource-codes.md",
        "---\ntitle: AirSource fault codes\nmodels: AirSource 8 kW heat pump\n---\nE5: low pressure.\n",
    );
    write(
        &guides,
        "brief.md",
        "---\ntitle: Briefing the customer\n---\nShow the controls.\n",
    );
    let said = succeeded(&hq.admin(&["guides", "import", guides.to_str().expect("utf-8")]));
    assert!(
        said.contains("imported guides: 2 in the file (2 new"),
        "{said}"
    );

    let dora = hq.dispatcher("dora").await;
    let first: PartList = dora.call(Method::GET, "/parts?limit=2", None::<&()>).await;
    let skus: Vec<&str> = first.parts.iter().map(|p| p.sku.as_str()).collect();
    assert_eq!(skus, ["FLT-2", "HX-100"]);
    let next = first.next.expect("a second page");
    let rest: PartList = dora
        .call(Method::GET, &format!("/parts?after={next}"), None::<&()>)
        .await;
    assert_eq!(rest.parts.len(), 1, "the refused file added nothing");
    assert_eq!(rest.parts[0].name, "Valve");
    let templates: ChecklistList = dora.call(Method::GET, "/checklists", None::<&()>).await;
    assert_eq!(templates.templates[0].title, "Repair");
    let policies: WarrantyPolicyList = dora
        .call(Method::GET, "/warranty-policies", None::<&()>)
        .await;
    assert_eq!(policies.policies[0].replace_days, 15);
    let guides: GuideList = dora.call(Method::GET, "/guides", None::<&()>).await;
    let ids: Vec<(&str, u32)> = guides
        .guides
        .iter()
        .map(|g| (g.id.as_str(), g.version))
        .collect();
    assert_eq!(ids, [("airsource-codes", 1), ("brief", 1)]);

    // Van stock: issued by the admin, read by the dispatcher.
    hq.add_user("tina", "technician");
    let said = succeeded(&hq.admin(&[
        "stock",
        "issue",
        "--technician",
        "tina",
        "--sku",
        "FLT-2",
        "--qty",
        "6",
    ]));
    assert!(
        said.contains("put 6 x FLT-2 into tina's van; it now holds 6"),
        "{said}"
    );
    succeeded(&hq.admin(&[
        "stock",
        "issue",
        "--technician",
        "tina",
        "--sku",
        "HX-100",
        "--serial",
        "HX-0001",
        "--serial",
        "HX-0002",
    ]));
    let err = refused(&hq.admin(&[
        "stock",
        "issue",
        "--technician",
        "tina",
        "--sku",
        "HX-100",
        "--qty",
        "1",
    ]));
    assert!(
        err.contains("HX-100 is serialized: give each unit's serial"),
        "{err}"
    );
    // Two filters and one exchanger go back to HQ; more than the van holds is refused.
    let back = |units: &[&str]| {
        let mut args = vec!["stock", "return", "--technician", "tina"];
        args.extend_from_slice(units);
        hq.admin(&args)
    };
    let said = succeeded(&back(&["--sku", "FLT-2", "--qty", "2"]));
    assert!(
        said.contains("took 2 x FLT-2 back from tina's van; it now holds 4"),
        "{said}"
    );
    succeeded(&back(&["--sku", "HX-100", "--serial", "HX-0002"]));
    let err = refused(&back(&["--sku", "FLT-2", "--qty", "5"]));
    assert!(
        err.contains("tina's van holds 4 of FLT-2: it cannot give back 5"),
        "{err}"
    );
    let van: VanStock = dora
        .call(Method::GET, "/stock?technician=tina", None::<&()>)
        .await;
    let held: Vec<(&str, i64, Vec<String>)> = van
        .balances
        .iter()
        .map(|b| (b.sku.as_str(), b.qty, b.serials.clone()))
        .collect();
    assert_eq!(
        held,
        [("FLT-2", 4, vec![]), ("HX-100", 1, vec!["HX-0001".into()])]
    );
    assert_eq!(van.moves.len(), 5);
    let unknown = dora
        .try_call::<(), VanStock>(Method::GET, "/stock?technician=nobody", None)
        .await;
    assert!(unknown.is_err(), "{unknown:?}");

    // Tina's laptop gets, in its sync, what applies to her heat pump job, and reads it offline.
    let job = r#"{"number": "J-100", "kind": "repair", "summary": "Low pressure", "technician": "tina",
        "customer": {"name": "Ada Lovelace"}, "site": {"address": "12 Analytical Row"},
        "asset": {"model": "AirSource 8 kW heat pump", "serial": "AS8-1"}}"#;
    succeeded(&hq.import(&job.replace('\n', " ")));
    let device = tempfile::tempdir().expect("tempdir");
    let data = device.path().join("onsite");
    succeeded(&hq.login_cli(&data, "tina"));
    let synced = succeeded(&onsite(&data, &["sync"]));
    // The three parts, the repair checklist (J-100 is a repair), the heat pump's policy and
    // its two guides.
    assert!(synced.contains(", 7 reference records"), "{synced}");
    let mut hq = hq;
    hq.stop();
    let stock = succeeded(&onsite(&data, &["stock"]));
    assert!(
        stock.contains("FLT-2") && stock.contains("HX-0001") && !stock.contains("HX-0002"),
        "{stock}"
    );
    let listed = succeeded(&onsite(&data, &["guides"]));
    assert!(
        listed.contains("airsource-codes") && listed.contains("brief"),
        "{listed}"
    );
    let found = succeeded(&onsite(&data, &["guides", "--search", "low press"]));
    assert!(
        found.contains("airsource-codes") && !found.contains("brief"),
        "{found}"
    );
    let shown = succeeded(&onsite(&data, &["guide", "show", "airsource-codes"]));
    assert!(
        shown.starts_with("AirSource fault codes\nfor: AirSource 8 kW heat pump"),
        "{shown}"
    );
    assert!(shown.contains("E5: low pressure."), "{shown}");
    let err = refused(&onsite(&data, &["guide", "show", "nope"]));
    assert!(err.contains("no guide \"nope\" on this device"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_comes_with_reference_data() {
    let hq = HqProcess::start();
    hq.seed_demo();
    let dora = hq.dispatcher_with("dora", onsite_hq::demo::PASSWORD).await;
    let parts: PartList = dora.call(Method::GET, "/parts", None::<&()>).await;
    assert!(parts.parts.len() >= 40, "{}", parts.parts.len());
    let guides: GuideList = dora.call(Method::GET, "/guides", None::<&()>).await;
    assert!(guides.guides.len() >= 15, "{}", guides.guides.len());
}
