//! The closed vocabularies of the block table: districts, land types, start status and the
//! classifications parkcast adds (developer kind, zone, industry group, path).
//!
//! Each vocabulary has a `key` (ASCII, or the annex's own characters for land types) used in
//! `seeds/blocks.csv` and in scenario group names, and Chinese and English labels.

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => ($key:literal, $zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in a fixed order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The key used in data files and scenario group names.
            pub fn key(self) -> &'static str { match self { $($name::$variant => $key),+ } }
            pub fn label_zh(self) -> &'static str { match self { $($name::$variant => $zh),+ } }
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),+ } }
            /// Looks a value up by its key.
            pub fn from_key(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }
            /// All keys, for error messages ("allowed: ...").
            pub fn keys() -> Vec<&'static str> { Self::ALL.iter().map(|v| v.key()).collect() }
        }
    };
}

vocabulary!(
    /// The three districts of the central city named in the annex.
    District {
        Nanhu => ("nanhu", "南湖区", "Nanhu District"),
        Xiuzhou => ("xiuzhou", "秀洲区", "Xiuzhou District"),
        Etdz => ("etdz", "经开区", "Economic and Technological Development Zone"),
    }
);

impl District {
    /// Looks a district up by its Chinese name as written in the annex.
    pub fn from_zh(zh: &str) -> Option<District> {
        District::ALL.iter().copied().find(|d| d.label_zh() == zh)
    }
}

vocabulary!(
    /// Land type as written in the annex (土地性质).
    LandType {
        M0 => ("M0", "M0 创新型产业用地", "M0 innovative industrial land"),
        M1 => ("M1", "M1 一类工业用地", "M1 class-1 industrial land"),
        R2 => ("R2", "R2 二类居住用地", "R2 residential land"),
        Zhai => ("宅地", "宅地", "residential plot (宅地)"),
    }
);

impl LandType {
    /// Residential land must be rezoned (or its buildings reused) before industrial use.
    pub fn needs_rezoning(self) -> bool {
        matches!(self, LandType::R2 | LandType::Zhai)
    }
}

vocabulary!(
    /// Start status class of a block (the annex's 开工时间 column, classified).
    StartStatusKind {
        Started => ("started", "已开工", "started"),
        Planned => ("planned", "计划开工", "planned"),
        Undetermined => ("undetermined", "未定", "undetermined"),
    }
);

vocabulary!(
    /// Who develops the block (added classification; see seeds/README.md).
    DeveloperKind {
        StateOwned => ("state_owned", "国资公司", "state-owned company"),
        LeadingEnterprise => ("leading_enterprise", "企业", "enterprise"),
        JointVenture => ("joint_venture", "合资／联合", "joint venture"),
        ResearchPlatform => ("research_platform", "创新平台", "research platform"),
        StreetOffice => ("street_office", "街道", "street office"),
        Undetermined => ("undetermined", "未定", "undetermined"),
    }
);

vocabulary!(
    /// The six zones (片区) of the "20+6" layout (added classification).
    Zone {
        Chengnan => ("chengnan", "城南片区", "Chengnan zone"),
        North => ("north", "北部片区", "Northern zone"),
        CanalBay => ("canal_bay", "运河湾片区", "Canal Bay zone"),
        Jiaye1921 => ("1921_jiaye", "1921+嘉冶片区", "1921 + Jiaye zone"),
        Yatai => ("yatai", "亚太片区", "Yatai zone"),
        HsrNewTown => ("hsr_new_town", "高铁新城片区", "High-speed Rail New Town zone"),
        Undetermined => ("undetermined", "未定", "undetermined"),
    }
);

vocabulary!(
    /// Industry group in the "333" system (added classification).
    IndustryGroup {
        Emerging => ("emerging", "新兴产业", "emerging industries"),
        Future => ("future", "未来产业", "future industries"),
        Services => ("services", "生产性服务业", "producer services"),
        Undetermined => ("undetermined", "未定", "undetermined"),
    }
);

vocabulary!(
    /// Development path (added classification).
    BuildPath {
        Renovation => ("renovation", "改造提升", "renovation of an existing site"),
        NewBuild => ("new_build", "规划新建", "new build"),
        Undetermined => ("undetermined", "未定", "undetermined"),
    }
);
