//! The app's own user-facing strings, in bokmål and English.
//!
//! Every key maps to a [`Text`], whose two fields are both required: a key cannot exist in one
//! language only. Indicator titles and definitions come from the engine's registry, not from here.

use forlop_core::text::{Lang, Text};

macro_rules! strings {
    ($($key:ident => $nb:literal, $en:literal;)*) => {
        /// A user-facing string of the app.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Key { $($key,)* }

        impl Key {
            /// Every key, for the completeness test.
            pub const ALL: &'static [Key] = &[$(Key::$key,)*];

            /// The text in both languages.
            pub fn text(self) -> Text {
                match self { $(Key::$key => Text { nb: $nb, en: $en },)* }
            }
        }
    };
}

strings! {
    AppTitle => "Forløp", "Forløp";
    Tagline => "Indikatorer for pasientforløp fra helsedata – i nettleseren din",
        "Patient-pathway indicators from health data – in your browser";
    Intro => "Forløp leser anonymiserte uttrekk fra NPR, KPR og KUHR (CSV eller Excel) og regner ut Helsedirektoratets indikatorer for pasienter med alvorlige psykiske lidelser, for landet, regioner, helsefellesskap og kommuner. Alt skjer på denne maskinen: filene dine lastes aldri opp, ingenting sendes over nettet, og ingenting lagres etter at du lukker siden. Små tall prikkes før de vises.",
        "Forløp reads anonymised extracts from NPR, KPR and KUHR (CSV or Excel) and computes the Norwegian Directorate of Health's indicators for patients with serious mental illness, for the country, regions, health communities and municipalities. Everything happens on this machine: your files are never uploaded, nothing is sent over the network, and nothing is kept after you close the page. Small numbers are suppressed before they are shown.";
    LanguageSwitch => "English", "Norsk";
    // The visible text first: a voice user says what they see (axe label-content-name-mismatch).
    LanguageSwitchLabel => "English – bytt språk til engelsk", "Norsk – switch language to Norwegian";
    DemoHeading => "Bruk demodata", "Use demo data";
    DemoText => "Syntetiske data laget i nettleseren – ingen ekte personer.",
        "Synthetic data made in your browser – no real persons.";
    DemoYear => "År", "Year";
    DemoSize => "Antall personer", "Number of persons";
    DemoButton => "Bruk demodata", "Use demo data";
    FilesHeading => "Åpne filene dine", "Open your files";
    FilesText => "Velg flere filer på én gang (CSV eller .xlsx): personer, opphold, kommunale tjenester, primærhelse, befolkning, geografi.",
        "Pick several files at once (CSV or .xlsx): persons, episodes, municipal services, primary care, population, areas.";
    FilesButton => "Åpne filene dine", "Open your files";
    DropZone => "… eller slipp filene her", "… or drop the files here";
    SurveyLink => "Pasientundersøkelsen (STAR-P, CONTINU-UM, regresjon) →",
        "The patient survey (STAR-P, CONTINU-UM, regression) →";
    AnalysisYear => "Analyseår", "Analysis year";
    MinCell => "Prikking: minste tall (k)", "Suppression: smallest number (k)";
    MinCellOff => "k = 0 slår av prikking – bare for din egen skjerm. Alle eksporter merkes IKKE PRIKKET.",
        "k = 0 switches suppression off – for your own screen only. Every export is marked NOT SUPPRESSED.";
    Working => "Arbeider …", "Working …";
    PhaseReading => "Leser", "Reading";
    PhaseGenerating => "Lager demodata", "Generating demo data";
    PhaseComputing => "Regner ut", "Computing";
    Cancel => "Avbryt", "Cancel";
    Cancelled => "Avbrutt.", "Cancelled.";
    ErrorHeading => "Noe gikk galt", "Something went wrong";
    QualityHeading => "Datakvalitet", "Data quality";
    QualityFile => "Fil", "File";
    QualityKind => "Tabell", "Table";
    QualityRead => "Rader lest", "Rows read";
    QualityUsed => "Brukt", "Used";
    QualityRejected => "Avvist", "Rejected";
    QualityProblems => "Problemer", "Problems";
    QualityCount => "Antall", "Count";
    QualityExamples => "Første eksempler", "First examples";
    QualityNone => "Ingen problemer funnet.", "No problems found.";
    KindUnknown => "ukjent – velg", "unknown – choose";
    KindChange => "Tabelltype for", "Table kind of";
    Reread => "Les på nytt", "Read again";
    ResultsHeading => "Resultater", "Results";
    Modules => "Analyser", "Analyses";
    ModuleMissing => "mangler", "missing";
    Groups => "Grupper (opptil fem)", "Groups (up to five)";
    Level => "Områdenivå", "Area level";
    SplitNone => "Samlet", "Together";
    SplitOn => "Delt", "Split";
    LevelCountry => "Landet", "Country";
    LevelRegion => "Helseregion", "Health region";
    LevelHealthCommunity => "Helsefellesskap", "Health community";
    LevelMunicipality => "Kommune", "Municipality";
    Indicator => "Indikator", "Indicator";
    Area => "Område", "Area";
    Group => "Gruppe", "Group";
    Numerator => "Teller", "Numerator";
    Denominator => "Nevner", "Denominator";
    Value => "Verdi", "Value";
    National => "Landet", "Country";
    Suppressed => "prikket", "suppressed";
    SuppressedPrimary => "prikket: under k", "suppressed: below k";
    SuppressedSecondary => "prikket: kunne ellers regnes ut", "suppressed: could otherwise be derived";
    NotEstimable => "ikke beregnbart (0 i nevneren)", "not estimable (denominator 0)";
    ConfidenceInterval => "95 % KI", "95 % CI";
    AboveCountry => "over landet", "above the country";
    BelowCountry => "under landet", "below the country";
    VariationHeading => "Variasjon mellom områdene", "Variation between areas";
    VariationAreas => "områder med minst", "areas with at least";
    VariationCases => "tilfeller", "cases";
    ExtremalQuotient => "høyeste / laveste", "highest / lowest";
    CoefficientOfVariation => "variasjonskoeffisient", "coefficient of variation";
    SystematicVariation => "systematisk variasjonskomponent (SCV × 100)", "systematic component of variation (SCV × 100)";
    VariationTooFew => "for få områder med nok tilfeller", "too few areas with enough cases";
    SortBy => "Sorter etter", "Sort by";
    Definition => "Definisjon", "Definition";
    Choices => "Valg vi har tatt", "Choices we made";
    Unit => "Enhet", "Unit";
    Tables => "Tabeller", "Tables";
    ShowDefinition => "Definisjon og valg", "Definition and choices";
    ShowTable => "Tallene som tabell", "The numbers as a table";
    Summary => "Gruppene", "The groups";
    CohortSize => "I kohorten", "In the cohort";
    InSeveralGroups => "I to eller flere grupper", "In two or more groups";
    LargestOverlap => "Største overlapp", "Largest overlap";
    And => "og", "and";
    Unavailable => "Ikke tilgjengelig (mangler tabell)", "Not available (missing table)";
    Notes => "Merknader", "Notes";
    Export => "Eksport", "Export";
    ExportCsv => "Lang tabell (CSV)", "Long table (CSV)";
    ExportVariation => "Variasjon mellom områder (CSV)", "Variation between areas (CSV)";
    ExportXlsx => "Lang tabell (XLSX)", "Long table (XLSX)";
    ExportPng => "PNG", "PNG";
    ExportSvg => "SVG", "SVG";
    Print => "Utskrift", "Print";
    // The map panel (components/map.rs).
    MapHeading => "Kart", "Map";
    MapIntro => "Kommunene farget etter indikatorens verdi for den første valgte gruppen. På nivå helsefellesskap eller region får hver kommune verdien til sitt område. Prikkede områder er skravert.",
        "Municipalities coloured by the indicator's value for the first chosen group. At health-community or region level each municipality takes its area's value. Suppressed areas are hatched.";
    MapLoading => "Laster kartet …", "Loading the map …";
    MapFailed => "Kartet kunne ikke lastes", "The map could not be loaded";
    MapNoData => "ingen data", "no data";
    MapUnmapped => "Ikke på kartet (koden finnes ikke i kommuneinndelingen for 2024)",
        "Not on the map (the code is not among the municipalities of 2024)";
    MapCredit => "Kartgrunnlag: © Kartverket, CC BY 4.0", "Map data: © Kartverket, CC BY 4.0";
    MapMyArea => "Ditt område:", "Your area:";
    MapZoom => "Ditt område, forstørret", "Your area, enlarged";
    // The downloadable report (components/report_dialog.rs, html_report.rs).
    ReportHeading => "Last ned rapport", "Download report";
    ReportIntro => "Én HTML-fil med figurer, tabeller, definisjoner, datakvalitet, dato og innstillinger. Den kan leses uten skript og skrives ut som PDF. Rapporten er alltid prikket, med k minst 5, uansett hva skjermen viser.",
        "One HTML file with charts, tables, definitions, data quality, the date and the settings. It reads without scripts and prints to PDF. The report is always suppressed, with k at least 5, whatever the screen shows.";
    ReportModules => "Analyser i rapporten", "Analyses in the report";
    ReportArea => "Område i rapporten", "Area of the report";
    ReportCountry => "Hele landet", "The whole country";
    ReportButton => "Last ned rapport (HTML)", "Download report (HTML)";
    ReportTitle => "Rapport fra Forløp", "Report from Forløp";
    ReportMade => "Laget", "Made";
    ReportSettings => "Innstillinger", "Settings";
    ReportYear => "Analyseår", "Analysis year";
    ReportSuppression => "Prikking", "Suppression";
    ReportSuppressionText => "tall under k er prikket, og tall som ellers kunne regnes ut fra dem er også prikket",
        "numbers below k are suppressed, and numbers from which they could be derived are suppressed too";
    ReportModuleList => "Analyser", "Analyses";
    ReportQuality => "Datakvalitet", "Data quality";
    ReportNoQuality => "Ingen datakvalitetsrapport.", "No data-quality report.";
    ReportChartNote => "Figuren viser området, områdene det ligger i og landet, for hver gruppe. Prikkede tall er merket med –.",
        "The chart shows the area, the areas it lies in and the country, for each group. Suppressed numbers are marked –.";
    ReportFooter => "Laget med Forløp i nettleseren. Ingen data har forlatt maskinen.",
        "Made with Forløp in the browser. No data left the machine.";
    SuppressionNote => "Prikking: tall under k vises som –, og tall som ellers kunne regnes ut fra dem er også prikket",
        "Suppression: numbers below k are shown as –, and numbers from which they could be derived are suppressed too";
    NotSuppressed => "IKKE PRIKKET", "NOT SUPPRESSED";
    NotSuppressedBanner => "IKKE PRIKKET: små tall vises. Ikke del disse resultatene.",
        "NOT SUPPRESSED: small numbers are shown. Do not share these results.";
    // Issue 12: the data's years, "my area", the page's navigation and overview.
    YearReasonLatest => "det siste året med data for hele året", "the latest year with a full year of data";
    YearReasonPopulation => "og befolkning", "and population";
    YearLatestDate => "siste dato i dataene", "latest date in the data";
    YearPartial => "året etter har ikke data fra desember og er ikke fullt", "the year after has no data from December and is not complete";
    YearNoPopulation => "senere år mangler befolkningstall", "later years have no population rows";
    YearOverride => "valgt av deg", "chosen by you";
    YearPartialOnly => "det siste året med data; det er ikke helt (ingen år i dataene har data for hele året)", "the latest year with data; it is not complete (no year of the data has a full year of data)";
    YearNoDates => "dataene har ingen datoer, så året fra startskjemaet brukes", "the data has no dates, so the start form's year is used";
    YearsInData => "År i dataene", "Years in the data";
    YearsComputed => "Beregnet for", "Computed for";
    YearsComputing => "Beregner nå", "Now computing";
    ModuleComputing => "beregnes", "computing";
    ShowYear => "Vis år", "Show year";
    YearOverrideLabel => "Annet analyseår (overstyrer dataene)", "Another analysis year (overrides the data)";
    YearFromData => "Bruk årene i dataene", "Use the data's years";
    Trend => "Utvikling over år", "Trend over the years";
    TrendYearsComing => "De andre årene beregnes …", "The other years are being computed …";
    MyArea => "Mitt område", "My area";
    MyAreaNone => "– ikke valgt –", "– none chosen –";
    MyAreaMarker => "◀ mitt område", "◀ my area";
    MyAreaWithin => "◀ her ligger mitt område", "◀ holds my area";
    MyAreaHelp => "Huskes bare i adressen til siden (lenken kan deles), ikke på maskinen.", "Kept only in the page's address (the link can be shared), not on this machine.";
    MyAreaMissing => "Området i adressen finnes ikke i dataene:", "The area in the address is not in the data:";
    AreaReportHeading => "Områderapport", "Area report";
    AreaReportIntro => "Alle indikatorer for mitt område ved siden av helsefellesskapet, helseregionen og landet. Hele kohorten (første gruppe, ikke delt).", "Every indicator for my area beside its health community, health region and the country. The whole cohort (first group, not split).";
    AreaReportChoose => "Velg mitt område for å se områderapporten.", "Choose my area to see the area report.";
    Overview => "Oversikt", "Overview";
    CohortSizes => "Kohortene", "The cohorts";
    KeyIndicators => "Nøkkeltall", "Key figures";
    Module => "Analyse", "Analysis";
    Units => "Antall", "Number";
    PageContents => "Innhold", "Contents";
    GoToIndicator => "Indikatorene", "The indicators";
    QualityFiles => "filer", "files";
    QualityShowExamples => "Vis eksemplene", "Show the examples";
    Year => "År", "Year";
    NoRows => "Ingen rader for dette valget.", "No rows for this choice.";
    Privacy => "Ingenting forlater maskinen din.", "Nothing leaves your machine.";
    Back => "Start på nytt", "Start again";
    ProfileHeading => "Områdeprofil", "Area profile";
    ProfileIntro => "Alle indikatorer for ett område, ved siden av regionen og landet (første valgte gruppe).",
        "Every indicator for one area, beside its region and the country (first chosen group).";
    ProfileArea => "Område", "Area";
    ProfileRegion => "Region", "Region";
    CenturyHeading => "Datoer med tosifret år (DD.MM.ÅÅ)", "Dates with two-digit years (DD.MM.YY)";
    CenturyIntro => "Rader med datoer som 01.02.85 ble avvist fordi århundret er uklart. Bekreft en regel for å bruke dem.",
        "Rows with dates such as 01.02.85 were rejected because the century is unclear. Confirm a rule to use them.";
    CenturyPivot => "Tosifrede år til og med dette er 20xx, resten 19xx:", "Two-digit years up to and including this are 20xx, the rest 19xx:";
    CenturyApply => "Bruk regelen og les på nytt", "Use the rule and read again";
    CenturyClear => "Fjern regelen", "Remove the rule";
    MappingHeading => "Tilordning av kolonner og koder", "Mapping of columns and codes";
    MappingIntro => "Noen kolonner eller koder ble ikke gjenkjent. Tilordningen kan lagres som en liten JSON-fil og brukes igjen neste år.",
        "Some columns or codes were not recognised. The mapping can be saved as a small JSON file and reused next year.";
    MappingMissing => "Påkrevde kolonner som mangler:", "Required columns missing:";
    MappingUnknown => "Kolonner som ikke ble gjenkjent – hvilken kolonne er det? (* = påkrevd)",
        "Columns not recognised – which column is it? (* = required)";
    MappingChooseKind => "Velg tabelltypen for filen i datakvalitetspanelet først.",
        "Choose the file's table kind in the data-quality panel first.";
    MappingValues => "Ukjente koder – skriv den kanoniske koden (tomt = avvis raden)", "Unknown codes – type the canonical code (empty = reject the row)";
    MappingNoColumn => "(ikke bruk)", "(do not use)";
    MappingRows => "rader", "rows";
    MappingApply => "Bruk tilordningen og les på nytt", "Apply the mapping and read again";
    MappingSave => "Lagre tilordningsprofil (JSON)", "Save mapping profile (JSON)";
    MappingLoad => "Åpne tilordningsprofil", "Open mapping profile";
    MappingLoadFailed => "Tilordningsprofilen kunne ikke leses", "The mapping profile could not be read";
}

/// The text of `key` in `lang`.
pub fn tr(key: Key, lang: Lang) -> &'static str {
    key.text().get(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_no_placeholders() {
        for key in Key::ALL {
            let t = key.text();
            for s in [t.nb, t.en] {
                assert!(!s.trim().is_empty(), "{key:?} is empty");
                for bad in ["TODO", "{", "}", "&"] {
                    assert!(!s.contains(bad), "{key:?} contains {bad}: {s}");
                }
            }
        }
        // The list is not trivially short: a macro slip that produced no keys would pass above.
        assert!(Key::ALL.len() > 50);
    }

    #[test]
    fn bokmal_and_english_differ_where_they_should() {
        assert_eq!(tr(Key::Cancel, Lang::Nb), "Avbryt");
        assert_eq!(tr(Key::Cancel, Lang::En), "Cancel");
        assert_eq!(tr(Key::NotSuppressed, Lang::En), "NOT SUPPRESSED");
    }
}
