//! The transcription of the annex (seeds/blocks.csv) and the target sets (seeds/targets.toml).

use parkcast::month::Month;
use parkcast::seeds::kinds::{BuildPath, DeveloperKind, District, IndustryGroup, LandType, Zone};
use parkcast::seeds::{
    parse_blocks, BaseScope, BlockScope, RevenueScope, Seeds, StartStatus, TargetId, EMBEDDED_BLOCKS_CSV,
};

#[test]
fn twenty_rows_summing_to_the_annex_total() {
    let seeds = Seeds::embedded();
    assert_eq!(seeds.blocks.len(), 20);
    let total: f64 = seeds.blocks.iter().map(|b| b.land_mu).sum();
    assert!((total - 2382.1).abs() < 1e-9, "{total}");
    let ids: Vec<u32> = seeds.blocks.iter().map(|b| b.id).collect();
    assert_eq!(ids, (1..=20).collect::<Vec<_>>());
}

/// Rows checked cell by cell against the annex of shared/seeds/000_f26b070a0588de9d.txt.
#[test]
fn rows_match_the_annex_cell_by_cell() {
    let seeds = Seeds::embedded();
    let b = |id| seeds.block(id).unwrap();

    let r1 = b(1);
    assert_eq!(r1.district, District::Nanhu);
    assert_eq!(r1.batch, 1);
    assert_eq!(r1.name_zh, "南湖新区嘉兴国际创意文化产业园区域（由拳路以南地块）");
    assert_eq!(r1.street_zh, "东栅街道");
    assert_eq!(r1.land_mu, 328.0);
    assert_eq!(r1.land_type, LandType::M1);
    assert_eq!(r1.start_zh, "2024年12月"); // written over two lines in the annex
    assert_eq!(r1.start, StartStatus::PlannedMonth(Month::new(2024, 12).unwrap()));
    assert_eq!(r1.industry_zh, "创意制造");
    assert_eq!(r1.developer_zh, "嘉兴创意投资开发有限公司");

    let r7 = b(7);
    assert_eq!(r7.developer_zh, "浙江兴汇实业有限公司"); // line break inside the cell removed
    assert_eq!(r7.start, StartStatus::Started);
    assert_eq!(r7.start_zh, "已开工");

    let r10 = b(10);
    assert_eq!(r10.name_zh, "1921南湖都市经济园");
    assert_eq!(r10.batch, 2);
    assert_eq!(r10.land_mu, 39.7);
    assert_eq!(r10.start, StartStatus::PlannedYear(2025));
    assert_eq!(r10.developer_zh, "南湖街道");

    let r11 = b(11);
    assert_eq!(r11.name_zh, "嘉冶厂区（原嘉兴冶金机械厂）");
    assert_eq!(r11.start, StartStatus::Undetermined);
    assert_eq!(r11.developer_zh, "未定");
    assert_eq!(r11.developer_kind, DeveloperKind::Undetermined);

    let r12 = b(12);
    assert_eq!(r12.street_zh, "东栅街道（南湖新区）"); // padding inside the cell removed
    assert_eq!(r12.land_mu, 187.5);

    let r13 = b(13);
    assert_eq!(r13.land_type, LandType::R2);
    assert_eq!(r13.developer_zh, "中外运、南湖区国资");

    let r14 = b(14);
    assert_eq!(r14.name_zh, "人工智能产业带（汇智之环产业园）");

    let r15 = b(15);
    assert_eq!(r15.name_zh, "甪里大健康产业园"); // rare hanzi 甪 kept
    assert_eq!(r15.street_zh, "湘家荡");

    let r16 = b(16);
    assert_eq!(r16.land_mu, 231.0);
    assert_eq!(r16.developer_zh, "嘉兴经济技术开发区产业创新投资集团有限公司与中建国际与第三方公司");

    let r17 = b(17);
    assert_eq!(r17.land_type, LandType::Zhai);
    assert_eq!(r17.land_mu, 101.2);
    assert_eq!(r17.industry_zh, "未定");
    assert_eq!(r17.developer_zh, "未定");
    assert_eq!(r17.industry_group, IndustryGroup::Undetermined);

    let r20 = b(20);
    assert_eq!(r20.district, District::Etdz);
    assert_eq!(r20.street_zh, "嘉北街道");
    assert_eq!(r20.industry_zh, "总部科技研发");
    assert_eq!(r20.developer_zh, "浙江欧美湾源科技产业集团有限公司");
}

#[test]
fn column_counts_by_annex_category() {
    let seeds = Seeds::embedded();
    let count = |f: &dyn Fn(&parkcast::seeds::Block) -> bool| seeds.blocks.iter().filter(|b| f(b)).count();
    assert_eq!(count(&|b| b.start == StartStatus::Started), 5);
    assert_eq!(count(&|b| matches!(b.start, StartStatus::PlannedMonth(_))), 4);
    assert_eq!(count(&|b| matches!(b.start, StartStatus::PlannedYear(2025))), 6);
    assert_eq!(count(&|b| b.start == StartStatus::Undetermined), 5);
    assert_eq!(count(&|b| b.district == District::Nanhu), 9);
    assert_eq!(count(&|b| b.district == District::Xiuzhou), 2);
    assert_eq!(count(&|b| b.district == District::Etdz), 9);
    assert_eq!(count(&|b| b.batch == 1), 9);
    assert_eq!(count(&|b| b.land_type == LandType::M0), 9);
    assert_eq!(count(&|b| b.land_type == LandType::M1), 9);
    assert_eq!(count(&|b| b.developer_zh == "未定"), 3);
    // every 未定 developer is classified undetermined, and only those
    assert!(seeds
        .blocks
        .iter()
        .all(|b| (b.developer_zh == "未定") == (b.developer_kind == DeveloperKind::Undetermined)));
    // zones are only assigned where the block's own name or street names the zone
    assert_eq!(count(&|b| b.zone != Zone::Undetermined), 6);
    assert_eq!(count(&|b| b.path == BuildPath::Renovation), 1);
}

#[test]
fn cells_are_normalised() {
    for b in Seeds::embedded().blocks {
        for cell in [&b.name_zh, &b.street_zh, &b.start_zh, &b.industry_zh, &b.developer_zh, &b.name_en] {
            assert!(
                !cell.contains('\n') && !cell.contains("  ") && cell.trim() == cell.as_str(),
                "block {}: {cell:?}",
                b.id
            );
        }
    }
}

#[test]
fn target_sets_hold_the_published_figures() {
    let seeds = Seeds::embedded();
    let draft = seeds.target_set("city_2027_draft").unwrap();
    let t = |id| draft.target(id).unwrap();
    assert_eq!(t(TargetId::Parks).threshold, 20.0);
    assert!(t(TargetId::Parks).about);
    assert_eq!(t(TargetId::Specialized).threshold, 200.0);
    assert_eq!(t(TargetId::TechSmes).threshold, 1000.0);
    assert_eq!(t(TargetId::Revenue).threshold, 1.0e11);
    assert_eq!(t(TargetId::Revenue).revenue_scope, Some(RevenueScope::AboveScale));
    assert_eq!(t(TargetId::Jobs).threshold, 30_000.0);
    assert_eq!(draft.deadline, Month::new(2027, 12).unwrap());
    assert_eq!(draft.blocks, BlockScope::All);

    let fin = seeds.target_set("city_2027_final").unwrap();
    assert_eq!(fin.target(TargetId::Revenue).unwrap().revenue_scope, Some(RevenueScope::All));

    let nanhu = seeds.target_set("nanhu_2027").unwrap();
    let n = |id| nanhu.target(id).unwrap().threshold;
    assert_eq!(
        (n(TargetId::Parks), n(TargetId::Specialized), n(TargetId::TechSmes), n(TargetId::Jobs), n(TargetId::Revenue)),
        (3.0, 50.0, 250.0, 6000.0, 2.0e10)
    );
    assert_eq!(nanhu.blocks, BlockScope::District(District::Nanhu));
    assert_eq!(nanhu.base, BaseScope::Nanhu);
}

#[test]
fn the_disk_copy_equals_the_embedded_copy() {
    let disk = Seeds::from_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").as_path()).unwrap();
    assert_eq!(disk.blocks, Seeds::embedded().blocks);
    assert_eq!(disk.target_sets, Seeds::embedded().target_sets);
}

// ── bad seeds files ──────────────────────────────────────────────────────────

fn csv_error(text: &[u8]) -> String {
    parse_blocks("seeds/blocks.csv", text).unwrap_err().to_string()
}

#[test]
fn a_missing_column_is_named() {
    let text = EMBEDDED_BLOCKS_CSV.replacen("land_type", "landtype", 1);
    insta::assert_snapshot!(csv_error(text.as_bytes()), @"seeds/blocks.csv: missing column `land_type` (the columns are: id, district_zh, district_en, batch, batch_zh, name_zh, name_en, street_zh, street_en, land_mu, land_type, start_zh, start_status, start_planned, industry_zh, industry_en, developer_zh, developer_en, added_developer_kind, added_zone, added_industry_group, added_path, known_start, known_start_source)");
}

#[test]
fn a_bad_utf8_byte_is_located() {
    let mut bytes = EMBEDDED_BLOCKS_CSV.as_bytes().to_vec();
    let third_line = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1).unwrap().0 + 5;
    bytes[third_line] = 0xff;
    insta::assert_snapshot!(csv_error(&bytes), @"seeds/blocks.csv:3: not valid UTF-8 (save the file as UTF-8)");
}

#[test]
fn a_changed_row_count_is_refused() {
    let text: String = EMBEDDED_BLOCKS_CSV.lines().take(20).map(|l| format!("{l}\n")).collect();
    insta::assert_snapshot!(csv_error(text.as_bytes()), @"seeds/blocks.csv: 19 block rows; the annex has exactly 20");
}

#[test]
fn a_bad_cell_names_line_column_value_and_what_is_allowed() {
    let text = EMBEDDED_BLOCKS_CSV.replacen(",M1,已开工,started,,医疗器械", ",M9,已开工,started,,医疗器械", 1);
    insta::assert_snapshot!(csv_error(text.as_bytes()), @r#"seeds/blocks.csv:3: column `land_type`: "M9" is not allowed (allowed: one of M0, M1, R2, 宅地)"#);
}

// ── published starts (not in the annex) ───────────────────────────────────────

#[test]
fn published_starts_carry_their_source_and_only_blocks_2_and_4_have_one() {
    use parkcast::seeds::StartedIn;
    let seeds = Seeds::embedded();
    let known: Vec<(u32, StartedIn)> =
        seeds.blocks.iter().filter_map(|b| b.known_start.as_ref().map(|k| (b.id, k.started_in))).collect();
    assert_eq!(known, vec![(2, StartedIn::Year(2021)), (4, StartedIn::Month(Month::new(2022, 6).unwrap()))]);
    let source = |id| seeds.block(id).unwrap().known_start.as_ref().unwrap().source.clone();
    assert!(source(2).contains("jiaxing.021cf.cn/index.php/post/7674.html") && source(2).contains("去年开工"));
    assert!(source(4).contains("xinruic1.com/a/3387.html") && source(4).contains("自2022年6月动工"));
    // the annex's own cells stay as transcribed
    assert_eq!(seeds.block(2).unwrap().start_zh, "已开工");
    assert_eq!(seeds.block(4).unwrap().start, StartStatus::Started);
}

#[test]
fn bad_published_starts_are_refused_naming_the_cell() {
    let row1 = "Jiaxing Creative Investment Development Co. Ltd.,state_owned,undetermined,services,undetermined,,";
    let bad = |from: &str, to: &str| {
        assert!(EMBEDDED_BLOCKS_CSV.contains(from), "{from}");
        csv_error(EMBEDDED_BLOCKS_CSV.replacen(from, to, 1).as_bytes())
    };
    insta::assert_snapshot!(
        bad(row1, &row1.replace("undetermined,,", "undetermined,2023-05,press")),
        @r#"seeds/blocks.csv:2: column `known_start`: "2023-05" is not allowed (allowed: empty unless start_status is started (已开工))"#
    );
    insta::assert_snapshot!(
        bad(",2021,\"南湖新闻", ",2024-11,\"南湖新闻"),
        @r#"seeds/blocks.csv:3: column `known_start`: "2024-11" is not allowed (allowed: a published start month YYYY-MM or year YYYY from 2000, before the policy month 2024-11)"#
    );
    insta::assert_snapshot!(
        bad(",2021,\"南湖新闻", ",2021年,\"南湖新闻"),
        @r#"seeds/blocks.csv:3: column `known_start`: "2021年" is not allowed (allowed: a published start month YYYY-MM or year YYYY from 2000, before the policy month 2024-11)"#
    );
    insta::assert_snapshot!(
        bad(",2021,\"南湖新闻", ",,\"南湖新闻"),
        @r#"seeds/blocks.csv:3: column `known_start_source`: "南湖新闻 via jiaxing.021cf.cn/index.php/post/7674.html: 嘉兴微创园二期项目是嘉兴科技城（南湖高新区）辖区内去年开工的一个重点项目. The stored copy is undated; its COVID stop in March with regular nucleic-acid tests of the workers places it in 2022, so 去年 = 2021 (month not published)" is not allowed (allowed: empty when known_start is empty)"#
    );
    // a start without a source
    let text: String = EMBEDDED_BLOCKS_CSV
        .lines()
        .map(|l| {
            if l.starts_with("4,") {
                format!("{},\n", &l[..l.find(",2022-06,").unwrap() + 8])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    insta::assert_snapshot!(
        csv_error(text.as_bytes()),
        @r#"seeds/blocks.csv:5: column `known_start_source`: "" is not allowed (allowed: a non-empty text: where the start was published)"#
    );
}
