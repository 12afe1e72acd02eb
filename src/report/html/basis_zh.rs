//! The Chinese page's wording of the built-in scenarios' key assumptions: each English basis as
//! the scenario files write it, and how an official reads it in Chinese. A scenario of the
//! user's own that writes its reason in Chinese is shown as written; one that writes it in
//! English only, with a pointer to the English page. A test checks that every built-in
//! scenario's key assumption is here, so editing a reason in a scenario file without its
//! Chinese fails the build's tests instead of showing an English pointer to officials.

/// (English basis after `assumption: ` or `source: `, its Chinese wording).
const WORDING: &[(&str, &str)] = &[
    (
        "not published: back-solved from the ¥100 bn target itself (≈ ¥60–90 bn in 2024 at 5–8% growth), so it restates the target; docs/calibration.md Existing base",
        "未见公布，由1000亿元目标本身倒推（按年增5%～8%推算，2024年约600亿～900亿元），因此只是复述目标",
    ),
    (
        "the 5–8% growth used in back-solving the revenue base from the target, tails widened to 3–10%; docs/calibration.md Existing base",
        "即由目标倒推营业收入基数时所用的年增5%～8%，两端放宽至3%～10%",
    ),
    (
        "central-city 专精特新 stock not found (docs/calibration.md); Jiaxing has 336 city-wide (2022), the central city a minority of them",
        "未查到中心城区专精特新企业存量；嘉兴全市2022年为336家，中心城区占其中少数",
    ),
    (
        "central-city tech SME stock not found (docs/calibration.md); wide range",
        "未查到中心城区科技型中小企业存量，取值范围放宽",
    ),
    ("net new urban-industry jobs a year outside the blocks", "重点区块以外每年净新增的城市型产业就业人数"),
    (
        "jobs lost a year in the base's shrinking, closing and departing firms (gross new jobs = net + lost): about 7 % a year of roughly 70,000 urban-type jobs (¥72 bn at ≈ ¥1 m per worker); employment, revenue per worker and the rate are all unpublished",
        "现有企业缩减、关停和迁出每年减少的就业（新增就业＝净新增＋减少）：约为城市型产业约7万个就业岗位的7%/年（按营业收入720亿元、人均约100万元折算）；就业人数、人均营业收入和流失率均未见公布",
    ),
    (
        "parks outside the annex (buildings, street blocks, renovated parks under §五(一)) that the 有进有出 list takes in and that are built by 2027-12 (dynamic-list reading): none published; 0–6 equally likely",
        "附件以外按“有进有出”纳入名单、并于2027年12月前建成的园区（楼宇、街区及政策五（一）所指的改造园区，动态名单口径）：未见公布，0～6个等可能",
    ),
    (
        "judgement, not a measured rate: P(on time) ≈ 0.75 loosely after the 23.7% of audited key projects clearly behind schedule (National Audit Office 2015); docs/calibration.md Timing",
        "并非实测比率：按期开工的概率取约75%，粗略参照审计署2015年审计的重点项目中有23.7%明显滞后",
    ),
    (
        "judgement: delay if late 6–18 months, min widened to 3 months; docs/calibration.md Timing",
        "未按期开工时推迟6～18个月，下限放宽至3个月",
    ),
    (
        "after the decision lag an undetermined block starts with ≈ 6% chance a month (mean 2/32), so about half start within a year",
        "开工时间未定的区块在决策期过后每月开工的概率约为6%（均值2/32），约一半在一年内开工",
    ),
    (
        "judgement around the 14–16 months planned for 联东U谷·嘉善归谷生命智慧园 (investchn.com 2019-05-22, one project, a plan); no 中新嘉善 build time found, so the max of 24 months is judgement; docs/calibration.md Source check",
        "参照联东U谷·嘉善归谷生命智慧园计划工期14～16个月（2019年5月22日网络报道，仅一个项目，为计划数）；未查到中新嘉善的建设工期，上限24个月亦为判断",
    ),
    (
        "judgement: the cited Shengzhou 6–12 months was not found; one Shengzhou medical-device park found, 漕河泾长三角协同发展产业园 phase 1, plans 竣工验收 2026-01 and 驻场生产 from 2026-08, ≈ 7 months (绍兴日报 via shaoxing.com.cn 2025-10-14, a plan); docs/calibration.md Source check",
        "原引嵊州6～12个月未查到出处；查到嵊州一个医疗器械园区，即漕河泾长三角协同发展产业园一期，计划2026年1月竣工验收、2026年8月起驻场生产，约7个月（《绍兴日报》2025年10月14日，为计划数）",
    ),
    (
        "judgement after 松湖智谷 (Dongguan), ground broken 2016-12 and about 600 firms some six years later (press); no page gives its fill curve, so half-fill at 1–3.5 years is parkcast's reading; docs/calibration.md Source check",
        "参照东莞松湖智谷：2016年12月动工，约六年后入驻企业约600家（媒体报道）；未查到其入驻过程，半数入驻需1～3.5年为本模型的判断",
    ),
    (
        "judgement: docs/calibration.md's prior of ≈ ¥10 m per mu at maturity (90% ¥4–25 m) is itself judgement from Zhejiang, Shanghai and Shenzhen averages, ÷ ≈ 1,040 m² floor per mu; 联东U谷·嘉善 expects 产值 above ¥0.7 bn with 5万 m² in its first phase (≈ ¥14,000 per m², a plan; investchn.com 2019-05-22); docs/calibration.md Source check",
        "成熟期每亩约1000万元（90%区间400万～2500万元）的先验本身是参照浙江、上海、深圳平均水平的判断，按每亩约1040平方米建筑面积折算；联东U谷·嘉善一期5万平方米预计产值7亿元以上（约1.4万元/平方米，为计划数；2019年5月22日网络报道）",
    ),
    ("question asked: no existing base", "本情景所问的问题：不计现有存量"),
    (
        "slow case: the upper half of docs/calibration.md's 6–18 months, extended",
        "慢速情形：取标定的6～18个月的上半段，并适当延长",
    ),
    (
        "slow case: about the rate on land needing rezoning (docs/calibration.md Timing)",
        "慢速情形：约为需调整规划用地的按期开工率",
    ),
    (
        "a firm needs about two years of track record before 专精特新 certification",
        "企业一般需约两年经营记录方可认定为专精特新",
    ),
];

/// The Chinese wording of a basis `text` (after its `assumption: ` or `source: ` prefix): the
/// text itself if it is written in Chinese, else its wording above, if any.
pub(super) fn chinese(text: &str) -> Option<&str> {
    let cjk = text.chars().filter(|c| crate::zh::is_cjk(*c)).count();
    let letters = text.chars().filter(char::is_ascii_alphabetic).count();
    if cjk > 0 && cjk >= letters {
        return Some(text);
    }
    WORDING.iter().find(|(en, _)| *en == text).map(|(_, zh)| *zh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_written_in_chinese_is_shown_as_written_and_english_only_is_not() {
        assert_eq!(chinese("参照本区2023年统计年报"), Some("参照本区2023年统计年报"));
        assert_eq!(chinese("my own guess from the 2023 yearbook"), None);
        assert_eq!(chinese(WORDING[4].0), Some(WORDING[4].1));
        // the wording is Chinese: no English words, no file names
        for &(en, zh) in WORDING {
            assert!(!zh.contains(".md") && !zh.contains("docs/"), "{zh}");
            let letters: String = zh.chars().filter(char::is_ascii_alphabetic).collect();
            assert!(letters.chars().all(|c| "U".contains(c)), "English in the wording of {en:?}: {zh}");
        }
    }

    #[test]
    fn every_built_in_scenario_has_its_key_assumptions_in_chinese() {
        use crate::scenario::Basis;
        use crate::scenario::{load, ScenarioSource, EMBEDDED};
        let seeds = crate::seeds::Seeds::embedded();
        let mut missing = std::collections::BTreeSet::new();
        for (file, _) in EMBEDDED {
            let s = load(&ScenarioSource::Embedded(file), &[], &seeds).unwrap();
            for id in crate::report::view::KEY_ASSUMPTIONS {
                let text = match &s.city_param(id).basis {
                    Basis::Source(t) | Basis::Assumption(t) => t.clone(),
                    Basis::Override => continue,
                };
                if chinese(&text).is_none() {
                    missing.insert(format!("{file} {}: {text:?}", id.def().path));
                }
            }
        }
        assert!(missing.is_empty(), "no Chinese wording:\n{}", missing.into_iter().collect::<Vec<_>>().join("\n"));
    }
}
