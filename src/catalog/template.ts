/**
 * The starter region file `yiye catalog new` writes: every key a county fills in, commented in Chinese and
 * English, with one example industry (one registry permit, one 按需办理 item and the question deciding it).
 * It loads and lints with no error as written; its warnings are the placeholders left to replace, which the
 * header says. test/catalog/template.test.ts keeps it so.
 */

export interface StarterOptions {
  /** The region id (lower-case letters, digits and _). */
  id?: string;
  /** What people call the county, e.g. 开鲁县. */
  name?: string;
}

export const STARTER_ID = 'my_county';
export const STARTER_NAME = '某某县';

/** The starter file's text for a county. */
export function starterRegion(options: StarterOptions = {}): string {
  const name = options.name ?? STARTER_NAME;
  return TEMPLATE.replaceAll('__ID__', options.id ?? STARTER_ID)
    .replaceAll('__FULLNAME__', yamlScalar(`某某省某某市${name}`))
    .replaceAll('__NAME__', yamlScalar(name));
}

/** A text as a YAML scalar: plain when it is only letters and digits, else double-quoted. */
function yamlScalar(text: string): string {
  return /^[\p{Script=Han}\p{L}\p{N}_（）·]+$/u.test(text) ? text : JSON.stringify(text);
}

const TEMPLATE = `# “一业一证”地区目录文件（起步模板） · Region catalog file for the 一业一证 assistant (starter)
#
# 用法 How to use:
#   1. 对照本县（区、旗）的“一业一证”实施方案逐项填写：凡写着「某某」的地方，都改成文件原文的写法。
#      Fill in every key from the county's own implementation plan; replace each 某某 with the document's words.
#   2. 检查 Check:      yiye catalog lint 本文件
#      在替换完所有「某某」之前，lint 会给出一条 warning 提醒占位文字（这是有意的，不算错误）；
#      写成 unknown 的项目会显示为 info，说明助手将回答“以窗口告知为准”。
#      Until every 某某 is replaced lint shows one warning about placeholders (by design); keys written
#      unknown show as info: the assistant will say 以窗口告知为准 there.
#   3. 试用 Try it:     yiye guide --catalog 本文件 "我想开个便利店，也卖烟"
#   4. 部署 Deploy:     把文件放进 CATALOG_DIR 目录（见 docs/configuration.md），重启服务。
#                       Put the file in the CATALOG_DIR directory and restart.
#
# 规则 Rules:
#   - 行业名称、事项名称、部门、备注照抄文件原文，一字不改。
#     Industry, item, department and note wording exactly as the document writes it.
#   - 文件没有写明的，不要编：写 unknown（或整项不写），助手会说“以窗口告知为准”。
#     What the document does not state, do not invent: write unknown (or leave the key out).
#   - 文件以外的依据（法律、法规）写在 sources 里；confidence: H 原文读到，M 部分或间接来源，L 未找到、待核实。
#     Facts from outside the document cite their source; confidence H read there, M partial, L to verify.
#   - 字段说明 Full reference: docs/catalog-format.md

version: 1                     # 文件格式版本，固定为 1 · format version, always 1
id: __ID__                  # 地区编号：小写字母、数字、下划线，用于网址和命令行 · lower-case id for URLs and the CLI
name: __NAME__                   # 群众常说的地名 · the short name people use (the CLI accepts it too)
fullName: __FULLNAME__     # 全称 · full name, province and city included
aliases: []                    # 其他叫法，如 [开鲁, 通辽开鲁] · other names the chat and the CLI accept
places: []                     # 辖区内的乡镇、街道，如 [开鲁镇, 大榆树镇]，用户说「在开鲁镇开店」即可识别地区
                               # towns and streets inside it, so a sentence naming one finds the region

# 实施方案（文件）本身 · The implementation plan itself
document:
  title: 某某县“一业一证”改革实施方案          # 文件标题 · the document's title
  number: 某某〔2024〕号                     # 文号；没有文号写 unknown · 文号, or unknown for a guide without one
  issuer: 某某县人民政府办公室                 # 发文机关 · who issued it
  date: unknown                            # 成文日期，写成 "2024-07-29"（加引号）；没有日期写 unknown
                                           # date of issue "YYYY-MM-DD" in quotes, or unknown
  catalogTitle: 某某县“一业一证”改革行业目录    # 附件里目录的标题 · the title of the catalog annex
  # file: 某某.pdf                          # 可选：原文件名 · optional: the source file's name
  # text: ../sources/my-county-2024.txt     # 可选：文件全文（UTF-8，相对本文件），助手据此引用条款回答
                                           # optional: the document's text, relative to this file; its
                                           # numbered clauses (一、（一）…) are quoted in answers

# 一窗受理的窗口 · The one window where applications are made
window:
  name: 某某县政务服务中心“一业一证”窗口
  sources:                                 # 出处：文件的哪一条、原话 · where the document says so
    - title: 某某县“一业一证”改革实施方案
      article: 二、（一）                    # 条款序号 · article or section
      quote: 某某——抄录文件中写明窗口的原句    # 原话 · the document's words

# 咨询电话。文件没写热线就保持 unknown，助手会请用户联系窗口并提示12345政务服务便民热线；文件写明的，照下面填写。
# The consultation line: unknown until the document names one; then write it as below.
hotline: unknown
# hotline:
#   number: "12345"                        # 电话号码加引号 · the number, in quotes
#   seat: 企业开办专席                      # 可选：热线专席 · optional: the hotline's seat
#   sources:
#     - title: 某某县“一业一证”改革实施方案
#       article: 二、（五）
#       quote: 抄录文件中写明热线的原句

# 目录里出现的每个审批部门，键名照抄目录写法 · Every department, keyed exactly as the catalog writes it
departments:
  市场监管局:
    fullName: 某某县市场监督管理局           # 全称；文件没写全称就写 unknown（仍显示目录里的写法）
                                           # full name, or unknown: the catalog's wording is shown
    sources:
      - title: 某某县“一业一证”改革实施方案
        article: 附件1
        quote: 某某——抄录写明部门全称的原句
  烟草专卖局:
    fullName: unknown

# 承诺时限怎么算。文件没写就保持 unknown：助手只讲各事项的法定时限，总时限“以窗口告知为准”。
# How the promised time limit is computed; unknown: statutory limits only, the total 以窗口告知为准.
timeRule: unknown
# 文件写明“比法定时限压缩至少60%”时 · when the document promises a reduction:
# timeRule:
#   kind: reduced
#   reductionPercent: 60
#   sources: [{ title: 某某县“一业一证”改革实施方案, article: 二、（三）, quote: 某某 }]
# 文件写明“并联审批，按需现场核查用时最短事项的时限办结”时 · parallel approval within the shortest inspected item:
# timeRule: { kind: shortest_inspection_item, sources: [...] }

# 综合许可证在单项许可变更、注销、撤销时怎么办。文件没写就保持 unknown，助手不作承诺，“以窗口告知为准”。
# What the licence does when its items change or end; unknown: nothing is promised.
licenceRules: unknown
# licenceRules:
#   issueWithPendingItems: true          # 有事项未办结时可先发证并标注“未许可事项” · may issue with items pending
#   onPrintedChange: reissue             # 证面信息变更：reissue 换发 | reissue_free 免费换发
#   onUnprintedChange: update_qr         # 非证面信息变更：update_qr 更新二维码 | reissue_free 免费换发
#   onItemEnded: void_licence            # 单项许可注销、撤销、过期：void_licence 综合许可证失效 | remove_item_reissue_free 删除该项并免费换发
#   issuer: { name: 某某县行政审批局, sources: [...] }   # 可选：证上的发证机关 · optional: printed as 发证机关
#   sources: [{ title: 某某县“一业一证”改革实施方案, article: 三、（九）, quote: 某某 }]

# 以下可选，需要时取消注释 · Optional, uncomment when needed:
# catalogRules: { minItemsPerIndustry: 2, sources: [...] }   # 文件对目录本身的规定，如「一个行业仅涉及一个事项的不纳入目录」
# formFields: [{ field: licence_delivery, sources: [...] }]  # 文件给“一表申请”加的栏目，如证照寄递方式
# reformFaq:                                                  # 文件里能回答群众提问的原话
#   - { topic: where_to_apply, question: 到哪里申请？, answer: 某某, asks: [where], sources: [...] }
# permitOverrides:                       # 本地对全国事项库（data/permits.yaml）中某个许可的不同说法和规定
#   tobacco_retail_licence:              # Local wordings and facts of a registry permit, by its id
#     colloquial: [烟证]                  # 当地俗称 · what people there call it
#     timeLimit: { workingDays: 10, sources: [...] }    # 文件写明的时限（替换事项库的）· the document's own limit
# permits: []      # 事项库没有的本地许可（字段同 data/permits.yaml）· the county's own permits, not in the registry
# materials: []    # 本地许可用到的新材料 · materials of its own permits
# fields: []       # 本地许可用到的新表单栏目 · form fields of its own permits

# 决定“按需办理”事项的问题。每个带 when 的事项都要有对应的问题。
# The questions that decide the items marked 按需办理; every when names one of them.
questions:
  - id: sells_tobacco                      # 问题编号，when 里用它 · the id a when names
    text: 您的店里是否销售卷烟、雪茄烟等烟草制品？    # 向申请人提的问题 · the question as asked
    type: boolean                          # boolean 是/否 | number 数量（加 unit）| choice 选项（加 options）
    help: 经营烟草制品零售业务，需要取得烟草专卖零售许可证；不卖烟的不用办。   # 用户不确定时的说明 · shown when unsure
    sources:
      - title: 中华人民共和国烟草专卖法
        article: 第十六条
  # 选项题的写法 · a choice question:
  # - id: food_scope
  #   text: 您经营食品吗？经营哪一类？
  #   type: choice
  #   options:
  #     - { id: none, label: 不经营食品, synonyms: [不卖吃的] }
  #     - { id: prepackaged_only, label: 仅销售预包装食品 }
  #     - { id: other, label: 销售散装食品或现制现售 }

# 行业目录：每个行业一项，按文件的序号 · The catalog: one entry per industry, in the document's order
industries:
  - id: convenience_store                  # 行业编号，不同地区的同一行业用同一个编号 · shared across regions for the same trade
    seq: 1                                 # 目录中的序号 · 序号 in the catalog
    name: 便利店                            # 行业名称，照抄目录 · exactly as the catalog writes it
    # aliases: [便利店（超市）]               # 其他正式叫法 · other official names
    # colloquial: [小卖部, 小卖店]            # 当地俗称 · what people there call it
    # concept: convenience_store            # data/lexicon/industries.yaml 里对应的行业（编号不同时）
    items:                                 # 涉及的许可事项，照抄目录的顺序 · the items, in the catalog's order
      - permit: food_business_licence      # data/permits.yaml 里的许可编号 · the registry permit id
        name: 食品经营许可                   # 事项名称，照抄目录 · the item as the catalog writes it
        department: 市场监管局               # 目录写的部门，须是上面 departments 的键 · a key of departments
      - permit: tobacco_retail_licence
        name: 烟草专卖零售许可证核发
        department: 烟草专卖局
        note: 按需办理                       # 目录备注栏，照抄 · the note column as written
        when: { q: sells_tobacco, eq: true }  # 什么情况下需要办：问题 sells_tobacco 回答“是” · needed when the answer is yes
        whyNeeded: 您的店里销售烟草制品，需要办理烟草专卖零售许可证。
        whyNotNeeded: 您的店里不卖烟，不需要办理烟草专卖零售许可证。
`;
