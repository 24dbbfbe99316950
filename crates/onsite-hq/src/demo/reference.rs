//! The demo's reference data: a parts catalog for its products, a checklist per kind of job
//! (and one for heat pump installations), a warranty policy per product model, and technical
//! guides. Written as the files an admin would import, and imported through the same readers.

use crate::reference::{checklists, guides, parts, warranty};
use crate::storage::{ImportReport, StockIssue, Storage, StorageError};

/// `sku,name,unit_price,serialized,models`.
/// The part a visit to each demo product found failed and had to ask for.
const AWAITED: &[(&str, &str)] = &[
    ("HeatMax 300 combi boiler", "HM-FAN-1"),
    ("HeatMax 500 system boiler", "HM-EXP-8"),
    ("AirSource 8 kW heat pump", "AS-HX-08"),
    ("AquaPure 7 kg washing machine", "AP-BRG-7"),
    ("AquaPure dishwasher DW45", "DW-PUMP-45"),
    ("FrostLine fridge-freezer FF70", "FF-FAN-70"),
    ("CoolBreeze split air conditioner", "CB-DRN-2"),
    ("SunVolt 5 kW solar inverter", "SV-CB-5"),
    ("ThermoTank 150 L water heater", "TT-ELM-15"),
];

/// The part a demo visit to a `model` waits for.
pub fn awaited_part(model: &str) -> Option<&'static str> {
    AWAITED
        .iter()
        .find(|(m, _)| *m == model)
        .map(|(_, sku)| *sku)
}

const PARTS: &str = "\
sku,name,unit_price,serialized,models
HM-DV-01,Diverter valve cartridge,38.50,false,HeatMax 300 combi boiler
HM-IE-02,Ignition electrode with lead,14.90,false,HeatMax 300 combi boiler;HeatMax 500 system boiler
HM-PCB-3,Main control board,189.00,true,HeatMax 300 combi boiler
HM-PCB-5,Main control board,214.00,true,HeatMax 500 system boiler
HM-FAN-1,Combustion fan assembly,96.00,true,HeatMax 300 combi boiler;HeatMax 500 system boiler
HM-PRV-1,Pressure relief valve 3 bar,22.40,false,HeatMax 300 combi boiler;HeatMax 500 system boiler
HM-EXP-8,Expansion vessel 8 L,64.00,false,HeatMax 500 system boiler
HM-GSK-K,Burner gasket kit,9.80,false,HeatMax 300 combi boiler;HeatMax 500 system boiler
AS-HX-08,Plate heat exchanger,312.00,true,AirSource 8 kW heat pump
AS-FAN-8,Outdoor fan motor,148.00,true,AirSource 8 kW heat pump
AS-DEF-1,Defrost sensor,18.60,false,AirSource 8 kW heat pump
AS-CTL-2,Wired room controller,79.00,true,AirSource 8 kW heat pump
AS-FLT-1,Magnetic system filter,42.00,false,AirSource 8 kW heat pump
AP-PUMP-7,Drain pump,34.90,false,AquaPure 7 kg washing machine
AP-BRG-7,Drum bearing and seal kit,41.50,false,AquaPure 7 kg washing machine
AP-BELT-7,Drive belt 1192 J5,12.20,false,AquaPure 7 kg washing machine
AP-DOOR-7,Door interlock,19.90,false,AquaPure 7 kg washing machine
AP-MOT-7,Drum motor,168.00,true,AquaPure 7 kg washing machine
DW-PUMP-45,Circulation pump,72.00,true,AquaPure dishwasher DW45
DW-HTR-45,Heating element,36.00,false,AquaPure dishwasher DW45
DW-ARM-45,Lower spray arm,11.50,false,AquaPure dishwasher DW45
DW-FLT-45,Filter assembly,16.80,false,AquaPure dishwasher DW45
FF-THM-70,Thermostat,24.00,false,FrostLine fridge-freezer FF70
FF-FAN-70,Evaporator fan,29.50,false,FrostLine fridge-freezer FF70
FF-GSK-70,Door gasket (fridge),32.00,false,FrostLine fridge-freezer FF70
FF-CMP-70,Compressor,245.00,true,FrostLine fridge-freezer FF70
CB-CAP-2,Fan capacitor 2.5 uF,8.90,false,CoolBreeze split air conditioner
CB-PCB-2,Indoor unit control board,132.00,true,CoolBreeze split air conditioner
CB-DRN-2,Condensate drain pump,54.00,false,CoolBreeze split air conditioner
CB-FLT-2,Indoor filter pair,12.00,false,CoolBreeze split air conditioner
SV-FAN-5,Cooling fan,27.00,false,SunVolt 5 kW solar inverter
SV-DC-5,DC isolator 1000 V,46.00,false,SunVolt 5 kW solar inverter
SV-CB-5,Communication board,88.00,true,SunVolt 5 kW solar inverter
TT-ANO-15,Magnesium anode,28.00,false,ThermoTank 150 L water heater
TT-ELM-15,Immersion element 3 kW,39.00,false,ThermoTank 150 L water heater
TT-THM-15,Thermostat and cut-out,31.50,false,ThermoTank 150 L water heater
TT-TPR-15,Temperature and pressure relief valve,26.00,false,ThermoTank 150 L water heater
GEN-PTFE,PTFE tape (12 m),1.20,false,
GEN-FUSE-13,Fuse 13 A (pack of 10),3.50,false,
GEN-HOSE-15,Flexible hose 15 mm x 300 mm,6.40,false,
GEN-INH-1,Central heating inhibitor 1 L,14.00,false,HeatMax 300 combi boiler;HeatMax 500 system boiler;AirSource 8 kW heat pump
";

const CHECKLISTS: &str = r#"[
{"key": "installation", "version": 1, "title": "Installation", "kinds": ["installation"], "items": [
  {"key": "site_safe", "label": "Site safe to work (access, isolation)", "type": "yes_no", "required": true},
  {"key": "serial_photo", "label": "Photo of the serial plate", "type": "photo", "required": true},
  {"key": "commissioned", "label": "Commissioned to the manufacturer's instructions", "type": "yes_no", "required": true},
  {"key": "customer_briefed", "label": "Customer shown how to use it", "type": "yes_no", "required": true},
  {"key": "notes", "label": "Remarks", "type": "text"}]},
{"key": "heatpump-install", "version": 1, "title": "Heat pump installation", "kinds": ["installation"], "models": ["AirSource 8 kW heat pump"], "items": [
  {"key": "earth", "label": "Earth continuity tested", "type": "yes_no", "required": true},
  {"key": "pressure", "label": "System pressure", "type": "number", "unit": "bar", "min": 1.0, "max": 2.5, "required": true},
  {"key": "flow_temp", "label": "Flow temperature at commissioning", "type": "number", "unit": "°C", "min": 30, "max": 55, "required": true},
  {"key": "mode", "label": "Mode left in", "type": "choice", "options": ["heating", "hot water", "heating and hot water"], "required": true},
  {"key": "label_photo", "label": "Photo of the rating label", "type": "photo", "required": true}]},
{"key": "maintenance", "version": 1, "title": "Service", "kinds": ["maintenance"], "items": [
  {"key": "visual", "label": "Visual inspection done", "type": "yes_no", "required": true},
  {"key": "cleaned", "label": "Filters and strainers cleaned", "type": "yes_no", "required": true},
  {"key": "pressure", "label": "Working pressure", "type": "number", "unit": "bar", "min": 0.8, "max": 2.5},
  {"key": "condition", "label": "Overall condition", "type": "choice", "options": ["good", "fair", "needs attention"], "required": true},
  {"key": "notes", "label": "Advice given", "type": "text"}]},
{"key": "repair", "version": 1, "title": "Repair", "kinds": ["repair"], "items": [
  {"key": "fault_confirmed", "label": "Reported fault reproduced", "type": "yes_no", "required": true},
  {"key": "cause", "label": "Cause found", "type": "text", "required": true},
  {"key": "tested", "label": "Tested working after the repair", "type": "yes_no", "required": true},
  {"key": "photo", "label": "Photo of the fault or the removed part", "type": "photo"}]},
{"key": "debugging", "version": 1, "title": "Fault finding", "kinds": ["debugging"], "items": [
  {"key": "error_code", "label": "Error code shown", "type": "text", "required": true},
  {"key": "supply_ok", "label": "Supply voltage within limits", "type": "yes_no", "required": true},
  {"key": "resolved", "label": "Outcome", "type": "choice", "options": ["fixed", "part needed", "referred to manufacturer"], "required": true}]}
]"#;

const WARRANTY: &str = r#"[
{"model": "HeatMax 300 combi boiler", "version": 1, "from": "installation", "return_days": 7, "replace_days": 30, "repair_months": 60, "max_repairs": 3, "excluded_faults": ["physical_damage", "misuse", "unauthorised_repair"]},
{"model": "HeatMax 500 system boiler", "version": 1, "from": "installation", "return_days": 7, "replace_days": 30, "repair_months": 60, "max_repairs": 3, "excluded_faults": ["physical_damage", "misuse", "unauthorised_repair"]},
{"model": "AirSource 8 kW heat pump", "version": 1, "from": "purchase", "return_days": 7, "replace_days": 15, "repair_months": 24, "max_repairs": 2, "excluded_faults": ["physical_damage", "misuse", "unauthorised_repair", "wear"]},
{"model": "AquaPure 7 kg washing machine", "version": 1, "from": "purchase", "return_days": 7, "replace_days": 15, "repair_months": 24, "max_repairs": 2, "excluded_faults": ["physical_damage", "misuse", "wear"]},
{"model": "AquaPure dishwasher DW45", "version": 1, "from": "purchase", "return_days": 7, "replace_days": 15, "repair_months": 24, "max_repairs": 2, "excluded_faults": ["physical_damage", "misuse", "wear"]},
{"model": "FrostLine fridge-freezer FF70", "version": 1, "from": "purchase", "return_days": 7, "replace_days": 15, "repair_months": 36, "max_repairs": 2, "excluded_faults": ["physical_damage", "misuse"]},
{"model": "CoolBreeze split air conditioner", "version": 1, "from": "installation", "return_days": 7, "replace_days": 15, "repair_months": 36, "max_repairs": 2, "excluded_faults": ["physical_damage", "misuse", "unauthorised_repair"]},
{"model": "SunVolt 5 kW solar inverter", "version": 1, "from": "installation", "return_days": 0, "replace_days": 30, "repair_months": 120, "max_repairs": 2, "excluded_faults": ["physical_damage", "misuse", "unauthorised_repair"]},
{"model": "ThermoTank 150 L water heater", "version": 1, "from": "installation", "return_days": 7, "replace_days": 15, "repair_months": 24, "max_repairs": 2, "excluded_faults": ["physical_damage", "misuse", "wear"]}
]"#;

/// (file name, text).
const GUIDES: &[(&str, &str)] = &[
    (
        "heatmax-fault-codes.md",
        "---\ntitle: HeatMax boiler fault codes\nmodels: HeatMax 300 combi boiler; HeatMax 500 system boiler\n---\n# Fault codes\n\n| Code | Meaning | First check |\n|---|---|---|\n| F22 | Low water pressure | Top up to 1.2–1.5 bar, look for leaks |\n| F28 | No ignition | Gas supply, ignition electrode gap (3.5 mm) |\n| F29 | Flame lost | Flue blocked, gas pressure under load |\n| F75 | No pressure rise at pump start | Pressure sensor, pump seized |\n\nReset with the **reset** button only once the cause is fixed.\n",
    ),
    (
        "heatmax-annual-service.md",
        "---\ntitle: HeatMax annual service\nmodels: HeatMax 300 combi boiler; HeatMax 500 system boiler\n---\n# Annual service\n\n1. Isolate gas and power; check the flue terminal is clear.\n2. Remove the burner, clean the heat exchanger, renew the burner gasket (HM-GSK-K).\n3. Check the expansion vessel charge: 0.75–1.0 bar.\n4. Relight, run a flue gas analysis: CO/CO2 ratio under 0.004.\n5. Record the readings on the service checklist.\n",
    ),
    (
        "heatmax-installation.md",
        "---\ntitle: Installing a HeatMax boiler\nmodels: HeatMax 300 combi boiler; HeatMax 500 system boiler\n---\n# Installation\n\n- Flush the system and dose inhibitor (GEN-INH-1).\n- Clearances: 5 mm either side, 200 mm below.\n- Condensate pipe: at least 22 mm outside, falling 45 mm per metre.\n- Commission: gas rate, flue analysis, hot water flow at every tap.\n",
    ),
    (
        "airsource-fault-codes.md",
        "---\ntitle: AirSource heat pump fault codes\nmodels: AirSource 8 kW heat pump\n---\n# Fault codes\n\n| Code | Meaning | First check |\n|---|---|---|\n| E1 | Low flow | Filter (AS-FLT-1) blocked, air in the system |\n| E5 | Low water pressure | Top up to 1.5 bar |\n| E9 | Defrost failed | Defrost sensor (AS-DEF-1), fan motor |\n| P3 | High discharge temperature | Refrigerant charge, heat exchanger fouled |\n",
    ),
    (
        "airsource-defrost.md",
        "---\ntitle: AirSource outdoor unit icing up\nmodels: AirSource 8 kW heat pump\n---\n# Icing and defrost\n\nSome frost is normal below 5 °C; the unit defrosts every 40–90 minutes.\n\nIf the coil is a solid block of ice:\n\n1. Check the fan turns freely and the defrost sensor reads the coil temperature.\n2. Check the unit stands 150 mm clear of the ground and the drain is free.\n3. Replace the defrost sensor if it reads more than 3 °C off a probe.\n",
    ),
    (
        "airsource-commissioning.md",
        "---\ntitle: Commissioning an AirSource heat pump\nmodels: AirSource 8 kW heat pump\n---\n# Commissioning\n\n- Earth continuity and insulation resistance tested.\n- System pressure 1.0–2.5 bar cold; flow temperature 35–45 °C for radiators.\n- Set the weather curve; leave the controller in the mode the customer wants.\n- Photograph the rating label for the record.\n",
    ),
    (
        "aquapure-washer-error-codes.md",
        "---\ntitle: AquaPure washing machine error codes\nmodels: AquaPure 7 kg washing machine\n---\n# Error codes\n\n- **E20** does not drain: filter behind the kick plate, then the drain pump (AP-PUMP-7).\n- **E40** door not locked: door interlock (AP-DOOR-7).\n- **E60** motor fault: brushes, then the motor (AP-MOT-7).\n\nA loud rumble on spin is the drum bearings (AP-BRG-7).\n",
    ),
    (
        "aquapure-washer-levelling.md",
        "---\ntitle: Levelling and transit bolts\nmodels: AquaPure 7 kg washing machine\n---\n# Levelling\n\nA machine that walks on spin usually still has its transit bolts in, or stands on one short foot. Remove the four bolts, fit the caps, level with a spirit level on the top, lock the feet.\n",
    ),
    (
        "aquapure-dishwasher.md",
        "---\ntitle: AquaPure DW45 dishwasher faults\nmodels: AquaPure dishwasher DW45\n---\n# Common faults\n\n- Dishes not clean: spray arm holes blocked (DW-ARM-45), filter (DW-FLT-45).\n- Water not hot: heating element (DW-HTR-45), 20–30 Ω cold.\n- Leaves water in the base: drain hose kinked, pump impeller.\n",
    ),
    (
        "frostline-not-cooling.md",
        "---\ntitle: FrostLine FF70 not cooling\nmodels: FrostLine fridge-freezer FF70\n---\n# Not cooling\n\n1. Freezer cold, fridge warm: evaporator fan (FF-FAN-70) or a blocked air duct.\n2. Both warm, compressor runs: refrigerant leak; refer to the sealed-system team.\n3. Both warm, compressor silent: thermostat (FF-THM-70), start relay, compressor.\n\nA torn door gasket (FF-GSK-70) frosts the freezer quickly.\n",
    ),
    (
        "coolbreeze-maintenance.md",
        "---\ntitle: CoolBreeze air conditioner service\nmodels: CoolBreeze split air conditioner\n---\n# Service\n\n- Wash the indoor filters (CB-FLT-2), clean the coil with foaming cleaner.\n- Flush the condensate line; test the drain pump (CB-DRN-2) if fitted.\n- Check the outdoor fan capacitor (CB-CAP-2) reads within 5 % of its rating.\n",
    ),
    (
        "sunvolt-inverter-alarms.md",
        "---\ntitle: SunVolt inverter alarms\nmodels: SunVolt 5 kW solar inverter\n---\n# Alarms\n\n- **Grid overvoltage**: measure at the meter; report to the network operator if above 253 V.\n- **Isolation fault**: test each string to earth with the DC isolator (SV-DC-5) open.\n- **Fan fault**: replace the cooling fan (SV-FAN-5); output derates until then.\n\nWork on the DC side only with the isolator open and the panels covered.\n",
    ),
    (
        "thermotank-anode.md",
        "---\ntitle: ThermoTank anode check\nmodels: ThermoTank 150 L water heater\n---\n# Anode\n\nCheck the magnesium anode every two years; replace (TT-ANO-15) when under 10 mm thick. Drain below the anode boss first and open a hot tap to break the vacuum.\n",
    ),
    (
        "safe-isolation.md",
        "---\ntitle: Safe isolation before electrical work\n---\n# Safe isolation\n\n1. Identify the supply; isolate and lock off.\n2. Prove the tester on a known source, test the circuit dead, prove the tester again.\n3. Leave a tag with your name and the time.\n",
    ),
    (
        "briefing-the-customer.md",
        "---\ntitle: Briefing the customer at the end of a visit\n---\n# Before you leave\n\n- Show what was done and what was replaced; hand back old parts if they ask.\n- Explain the warranty decision in plain words and what happens next.\n- Show the controls they will use, and where the isolation points are.\n- Ask them to sign the report and rate the visit.\n",
    ),
];

/// Each demo technician's van at the start: (technician, SKU, how many); a serialized part
/// gets that many serials.
const VANS: &[(&str, &str, i64)] = &[
    ("tina", "HM-DV-01", 2),
    ("tina", "HM-IE-02", 3),
    ("tina", "HM-PRV-1", 2),
    ("tina", "HM-GSK-K", 4),
    ("tina", "HM-PCB-3", 1),
    ("tina", "AS-DEF-1", 2),
    ("tina", "AS-FLT-1", 1),
    ("tina", "GEN-PTFE", 6),
    ("tina", "GEN-INH-1", 3),
    ("tom", "AP-PUMP-7", 2),
    ("tom", "AP-BELT-7", 3),
    ("tom", "AP-DOOR-7", 2),
    ("tom", "DW-HTR-45", 1),
    ("tom", "DW-FLT-45", 2),
    ("tom", "FF-THM-70", 2),
    ("tom", "FF-FAN-70", 1),
    ("tom", "GEN-FUSE-13", 4),
    ("tom", "GEN-HOSE-15", 4),
    ("sara", "AS-FAN-8", 1),
    ("sara", "AS-CTL-2", 1),
    ("sara", "CB-CAP-2", 4),
    ("sara", "CB-FLT-2", 3),
    ("sara", "SV-FAN-5", 2),
    ("sara", "TT-ANO-15", 2),
    ("sara", "TT-ELM-15", 1),
    ("sara", "GEN-PTFE", 4),
];

/// What seeding the reference data did, per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// The parts catalog.
    pub parts: ImportReport,
    /// Checklist template versions.
    pub checklists: ImportReport,
    /// Warranty policy versions.
    pub warranty: ImportReport,
    /// Guides.
    pub guides: ImportReport,
}

/// Imports the demo's reference data (unchanged when run again) and fills each demo van with
/// the parts it lacks, as issued at `stocked`.
///
/// # Errors
/// A storage failure; the demo files themselves are checked by a test.
pub async fn seed(
    storage: &dyn Storage,
    stocked: chrono::DateTime<chrono::Utc>,
) -> Result<Imported, StorageError> {
    let invalid = |e: crate::reference::ReferenceError| StorageError::Invalid(e.to_string());
    let guides = GUIDES
        .iter()
        .map(|(name, text)| guides::parse(name, text))
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let catalog = parts::parse(PARTS).map_err(invalid)?;
    let imported = Imported {
        parts: storage.import_parts(&catalog).await?,
        checklists: storage
            .import_checklists(&checklists::parse(CHECKLISTS).map_err(invalid)?)
            .await?,
        warranty: storage
            .import_warranty(&warranty::parse(WARRANTY).map_err(invalid)?)
            .await?,
        guides: storage.import_guides(&guides).await?,
    };
    stock_vans(storage, &catalog, stocked).await?;
    Ok(imported)
}

/// Issues each demo van the parts of [`VANS`] it holds none of.
async fn stock_vans(
    storage: &dyn Storage,
    catalog: &[(usize, onsite_protocol::part::Part)],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), StorageError> {
    for (technician, sku, count) in VANS {
        let van = storage.van_stock(technician, None, 1).await?;
        if van.balances.iter().any(|b| b.sku == *sku) {
            continue;
        }
        let serialized = catalog.iter().any(|(_, p)| p.sku == *sku && p.serialized);
        let issued = if serialized {
            let prefix = sku.replace('-', "");
            StockIssue::Serials(
                (1..=*count)
                    .map(|n| format!("{prefix}-{}{n:03}", technician.to_uppercase()))
                    .collect(),
            )
        } else {
            StockIssue::Qty(*count)
        };
        storage
            .issue_stock(technician, sku, &issued, "Dora Dispatch", at)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use onsite_protocol::JobKind;

    #[test]
    fn the_demo_files_are_what_an_admin_could_import() {
        let parts = parts::parse(PARTS).unwrap();
        assert!(parts.len() >= 40, "{}", parts.len());
        let templates = checklists::parse(CHECKLISTS).unwrap();
        for kind in JobKind::ALL {
            assert!(
                templates.iter().any(|(_, t)| t.kinds.contains(kind)),
                "a checklist for {kind}"
            );
        }
        let policies = warranty::parse(WARRANTY).unwrap();
        for (model, _, _) in super::super::PRODUCTS {
            assert!(
                policies.iter().any(|(_, p)| p.model == *model),
                "a policy for {model}"
            );
            assert!(
                parts
                    .iter()
                    .any(|(_, p)| p.models.iter().any(|m| m == model)),
                "parts for {model}"
            );
            let awaited = awaited_part(model).map(|sku| parts.iter().find(|(_, p)| p.sku == sku));
            assert!(
                awaited
                    .is_some_and(|p| p.is_some_and(|(_, p)| p.models.contains(&model.to_string()))),
                "a visit to {model} waits for a part of it"
            );
        }
        // Every model a part, template or guide names is a demo product: no typo leaves one
        // orphaned.
        let known = |m: &String| super::super::PRODUCTS.iter().any(|(p, _, _)| p == m);
        assert!(parts.iter().all(|(_, p)| p.models.iter().all(known)));
        assert!(templates.iter().all(|(_, t)| t.models.iter().all(known)));
        let guides: Vec<_> = GUIDES
            .iter()
            .map(|(name, text)| guides::parse(name, text).unwrap())
            .collect();
        assert!(guides.len() >= 15, "{}", guides.len());
        assert!(guides.iter().all(|g| g.models.iter().all(known)));
    }
}
