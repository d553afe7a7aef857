using System.Globalization;
using D = ComplaintWorkflows.Activities.Classification.ClassificationDimensions;

namespace ComplaintWorkflows.Activities.Classification;

/// <summary>A default rule as seeded.</summary>
public sealed record DefaultRule(string Dimension, string Label, string Keyword, double Weight);

/// <summary>
/// The starting rule set, one or more keywords for every label of every dimension. Seeded into the
/// database (see <see cref="ClassificationRuleService.SeedDefaultsAsync"/>); from then on administrators
/// maintain the rules there. Keywords are separated by spaces; <c>keyword*2</c> gives weight 2.
/// </summary>
public static class DefaultClassificationRules
{
    public const string Note = "默认规则 (default rule)";

    private static readonly (string Dimension, string Label, string Keywords)[] Table =
    [
        (D.ProblemType, "售后服务", "售后*2 退货 退款 换货 维修 保修 三包 客服 不予处理 推诿 拒绝退 不给退 七天无理由*1.5 无人处理 不回复 拖延"),
        (D.ProblemType, "合同", "合同*2 协议 违约*1.5 定金 订金 押金 格式条款*2 霸王条款*2 自动续费*1.5 不履行 单方面 解约 条款 延期交付 延迟交房 预付卡*0.5"),
        (D.ProblemType, "质量", "质量问题*2 质量*1.5 故障 坏了 损坏 开裂 掉漆 破损 瑕疵 不能使用 无法使用 起球 褪色 异响 漏水 死机 黑屏 脱胶 断裂"),
        (D.ProblemType, "价格", "价格*1.5 明码标价*2 多收*1.5 乱收费*2 加价 涨价 收费标准 价格欺诈*2 标价 差价 先涨后降*2 虚构原价*2 结账时"),
        (D.ProblemType, "虚假宣传", "虚假宣传*3 夸大宣传*2 宣传*1 广告*1 与宣传不符*2 直播间 承诺 功效*1.5 引人误解*2 实际不符 虚构"),
        (D.ProblemType, "安全", "安全隐患*2 爆炸*2 起火*2 自燃*2 触电*2 受伤*1.5 划伤 烫伤*1.5 摔倒 漏电*2 燃气 安全*1.5 自燃 电池鼓包*1.5"),
        (D.ProblemType, "假冒", "假冒*3 假货*3 仿冒*2 冒充 山寨*2 高仿*2 正品*1.5 鉴定为假*2 防伪*1.5 非正品*2 盗版*2 侵权*1 商标*1"),
        (D.ProblemType, "人格尊严", "辱骂*3 侮辱*3 殴打*2 搜身*3 人格*3 歧视*2 态度恶劣*1.5 恶语*2 推搡*2 骂人*2 威胁*1.5 隐私*1.5 曝光*1"),
        (D.ProblemType, "计量", "缺斤短两*3 短斤少两*3 计量*2 秤*2 缺量*2 分量不足*2 克数 重量不足*2 电子秤*2 加油机*2 水表*1.5 电表*1.5 少给"),
        (D.ProblemType, "食品安全", "食品安全*3 过期*2 变质*2 异物*2 头发 虫子*2 食物中毒*3 腹泻*2 呕吐*2 发霉*2 生产日期*1.5 保质期*1.5 三无*1.5 吃出*2 拉肚子*2"),
        (D.ProblemType, "不正当竞争", "不正当竞争*3 诋毁*2 刷单*2 好评返现*2 混淆*2 商业贿赂*3 虚假交易*2 恶意差评 强制二选一*2 仿冒包装*2 回扣*2"),
        (D.ProblemType, D.Other, "个人信息泄露*1.5 推销电话 垃圾短信 快递丢件 骚扰"),

        (D.GoodsOrService, "日用商品", "洗发水 牙膏 纸巾 洗衣液 化妆品 护肤品 面膜 日用品 沐浴露"),
        (D.GoodsOrService, "家用电子电器", "手机*1.5 电脑*1.5 笔记本 冰箱*1.5 洗衣机*1.5 空调*1.5 电视*1.5 热水器*1.5 耳机 平板 家电*1.5 微波炉 扫地机"),
        (D.GoodsOrService, "服装鞋帽", "衣服*1.5 鞋*1.5 羽绒服*1.5 外套 裤子 裙子 帽子 运动鞋 皮鞋 服装*1.5 毛衣"),
        (D.GoodsOrService, "食品", "食品*1.5 零食 牛奶 酸奶 奶粉 饮料 月饼 蛋糕 饼干 火腿肠 方便面 卤味 熟食 保健食品 酒 面包 水果 肉 大米 食用油"),
        (D.GoodsOrService, "交通工具", "汽车*1.5 新能源车*2 电动车*1.5 车辆 轿车 摩托车 自行车 二手车 4S店*1.5 电瓶车"),
        (D.GoodsOrService, "医药及医疗用品", "药品*2 药店*1.5 医疗器械*2 口罩 血压计 助听器 药*1 处方"),
        (D.GoodsOrService, "房屋及建材", "房屋*1.5 商品房*2 交房*2 瓷砖 地板 建材*2 门窗 涂料 卫浴"),
        (D.GoodsOrService, "首饰及文体用品", "金饰*2 黄金*1.5 首饰*2 珠宝*2 钻戒*2 玉 手表 文具 乐器 体育用品 球拍 玩具"),
        (D.GoodsOrService, "家居用品", "家具*2 沙发*2 床垫*2 衣柜*2 餐桌 窗帘 床上用品 灯具 厨具 锅"),
        (D.GoodsOrService, "餐饮和住宿", "餐厅*2 饭店*2 酒店*2 宾馆*2 民宿*2 外卖*1.5 火锅 菜品 住宿*2 用餐*1.5 包间"),
        (D.GoodsOrService, "销售服务", "销售*1 导购 商场*0.5 超市*0.5 网购 店员 促销 直播带货"),
        (D.GoodsOrService, "美容美发洗浴", "美容*2 美发*2 理发*2 烫发*2 染发*2 洗浴*2 足疗 按摩 医美*2 纹眉 美甲*2"),
        (D.GoodsOrService, "专业技术服务", "培训*2 课程*2 教育*1.5 中介*2 婚介*2 摄影*1.5 家政*2 法律咨询 驾校*2 留学"),
        (D.GoodsOrService, "制作保养修理", "维修*1 保养*2 修理*2 清洗 改装 钟表维修 家电维修*2 配件"),
        (D.GoodsOrService, "通讯服务", "话费*2 流量*2 宽带*2 套餐*1.5 运营商*2 移动公司 电信*2 联通*2 携号转网*2 增值业务*2"),
        (D.GoodsOrService, "互联网服务", "APP*1.5 会员*1 平台*1 网络游戏*2 直播*1 充值 自动续费*1.5 网约车*2 在线 小程序*1.5 视频网站*2"),
        (D.GoodsOrService, "物业", "物业*3 物业费*3 小区*1.5 停车费 电梯 保安 业主*1.5"),
        (D.GoodsOrService, "房屋装修", "装修*3 装修公司*3 装饰公司*2 施工*1.5 水电改造*2 全包 半包 工期*1.5"),
        (D.GoodsOrService, "文化娱乐体育", "健身*2 健身房*3 游泳 景区*2 门票*2 演唱会*2 电影院*2 KTV*2 游乐园*2 旅游*1.5 旅行社*2 私教*2"),
        (D.GoodsOrService, D.Other, "其他服务 其他商品"),

        (D.Industry, "零售", "超市*2 商场*2 便利店*2 专卖店*1.5 门店 商店 店铺"),
        (D.Industry, "餐饮", "餐厅*2 饭店*2 外卖*2 奶茶店*2 火锅*1.5 烧烤 快餐 用餐*1.5"),
        (D.Industry, "汽车", "4S店*3 汽车*2 新能源车*2 车辆*1.5 二手车*2 轿车*1.5"),
        (D.Industry, "电子商务", "网购*2 电商*2 网店*2 淘宝*2 京东*2 拼多多*2 直播间*2 旗舰店*1.5 平台*1 快递*1 下单*1"),
        (D.Industry, "教育培训", "培训*2 课程*2 教育机构*3 辅导班*2 驾校*2 网课*2 退课*2 学费*2"),
        (D.Industry, "美容美发", "美容*2 美发*2 理发店*2 医美*2 美甲*2 美容院*3 烫发*1.5"),
        (D.Industry, "健身", "健身*2 健身房*3 私教*2 瑜伽*2 游泳馆*2"),
        (D.Industry, "通信", "运营商*2 话费*2 宽带*2 流量*2 电信*2 联通*2 移动公司*2 套餐*1"),
        (D.Industry, "房地产/物业", "物业*2 开发商*3 商品房*2 交房*2 小区*1 装修*1 业主*1.5"),
        (D.Industry, "旅游", "旅行社*3 旅游*2 景区*2 导游*2 跟团*2 酒店*1 民宿*1 机票*1.5"),
        (D.Industry, "医疗", "医院*2 诊所*2 药店*2 药品*1.5 医美*1 口腔*2 体检*2"),
        (D.Industry, "金融/预付卡", "预付卡*3 储值卡*3 会员卡*2 办卡*2 充值卡*2 跑路*2 分期*2 贷款*2 保险*2"),
        (D.Industry, "家电数码", "手机*1.5 电脑*1.5 冰箱*1.5 洗衣机*1.5 空调*1.5 电视*1.5 热水器*1.5 家电*2"),
        (D.Industry, "交通出行", "网约车*2 出租车*2 航空公司*2 航班*2 高铁*2 客运*2 共享单车*2"),
        (D.Industry, D.Other, "其他行业"),

        (D.Tier, D.TierSimple, "退货*1.5 退款*1 换货*1.5 服务态度*1.5 态度*1 七天无理由*1.5 发票*1 补发"),
        (D.Tier, D.TierGeneral, "检测*1.5 鉴定*1.5 检验*1.5 合同*1 质量*1 维修*1 违约*1 赔偿*1"),
        (D.Tier, D.TierComplex, "跨省*2 跨地区*2 异地*1.5 外地*1 集体投诉*3 多名消费者*3 众多消费者*3 群体*2 大量消费者*3 跑路*2 上百人*3 多人*2"),

        (D.Report, "举报", "举报*1 查处*1 依法处理*0.5 依法处罚*1 予以处罚*1 调查处理*0.5 立案*1"),
        (D.Report, "无证经营", "无证经营*1 无照经营*1 没有营业执照*1 无营业执照*1 无食品经营许可*1 无资质*0.5"),
        (D.Report, "销售过期食品", "销售过期食品*1 过期食品*0.5 过期商品*0.5 售卖过期*1"),
        (D.Report, "虚假宣传", "公开虚假宣传*1 欺骗公众*1 误导消费者*0.5 虚假广告*0.5"),
        (D.Report, "销售假冒伪劣", "销售假货*0.5 售假*0.5 假冒伪劣*0.5"),

        (D.ProfessionalClaimant, "惩罚性赔偿", "十倍赔偿*1 假一赔十*1 三倍赔偿*0.5 退一赔三*0.5 惩罚性赔偿*0.5 1000元赔偿*0.5 一千元赔偿*0.5"),
        (D.ProfessionalClaimant, "批量购买", "批量购买*1.5 大量购买*1 购买了100*1 多次购买*0.5 一次性购买*0.5"),
        (D.ProfessionalClaimant, "职业索赔", "职业打假*2 职业索赔*2 知假买假*2 打假人*1.5"),
    ];

    /// <summary>Every default rule.</summary>
    public static IReadOnlyList<DefaultRule> All { get; } = Expand();

    private static List<DefaultRule> Expand()
    {
        var rules = new List<DefaultRule>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var (dimension, label, keywords) in Table)
        {
            foreach (var entry in keywords.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var star = entry.LastIndexOf('*');
                var keyword = star < 0 ? entry : entry[..star];
                var weight = star < 0 ? 1.0 : double.Parse(entry[(star + 1)..], CultureInfo.InvariantCulture);
                if (seen.Add((dimension, label, keyword)))
                {
                    rules.Add(new DefaultRule(dimension, label, keyword, weight));
                }
            }
        }

        return rules;
    }
}
