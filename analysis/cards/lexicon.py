"""Words that signal a template section, in English, Japanese, Chinese, Korean, Spanish, French,
German, Russian and Portuguese: heading translations (for sections.py) and content cues (for detect.py).

All entries are lower case. Heading words of space-separated languages are matched as whole
words or word n-grams of the normalised heading; CJK heading words as substrings (CJK headings
have no spaces). Content cues are substrings of a passage's lower-cased text that count when their
whole words are tokens of the card (analysis.cards.cues finds them all in one Aho-Corasick pass); a cue
marked ``NUM`` needs a digit on its line ("accuracy 0.91", not "we care about accuracy"), one marked
``DURATION`` a duration. CJK, Hangul and Cyrillic cues (no spaces to make tokens, or inflected words)
count wherever they occur.
"""

from __future__ import annotations

NUM = 1  # the cue's line must hold a digit
DURATION = 2  # the cue's line must hold a duration ("for 96 hours", "约3天"): hardware with time is energy

# --- headings: section slug -> (words, phrases, cjk substrings) --------------------------------------------

HEADINGS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "model_details": (
        "licencia licence lizenz лицензия licença descripción resumen introducción descripcion présentation beschreibung modellbeschreibung überblick"
        " übersicht einführung описание обзор введение descrição introdução visão",
        (
            "detalles del modelo",
            "acerca del modelo",
            "sobre el modelo",
            "détails du modèle",
            "à propos",
            "modell details",
            "о модели",
            "детали модели",
            "detalhes do modelo",
            "sobre o modelo",
            "visão geral",
        ),
        (
            "モデル説明",
            "モデルの説明",
            "モデル概要",
            "モデルの概要",
            "概要",
            "モデル詳細",
            "モデルの詳細",
            "モデルについて",
            "はじめに",
            "紹介",
            "ライセンス",
            "许可证",
            "許可證",
            "라이선스",
            "模型介绍",
            "模型介紹",
            "模型描述",
            "模型简介",
            "模型簡介",
            "简介",
            "簡介",
            "介绍",
            "介紹",
            "概述",
            "模型说明",
            "模型詳情",
            "模型详情",
            "모델 설명",
            "모델 소개",
            "소개",
            "개요",
            "모델 세부",
        ),
    ),
    "uses": (
        "usos aplicaciones utilisations anwendungsbereiche verwendungszweck einsatzzweck назначение применение"
        " aplicações",
        (
            "uso previsto",
            "usos previstos",
            "uso prévu",
            "utilisation prévue",
            "utilisations prévues",
            "cas d usage",
            "область применения",
            "uso pretendido",
            "usos pretendidos",
        ),
        (
            "用途",
            "使用目的",
            "利用目的",
            "想定される用途",
            "预期用途",
            "適用場景",
            "适用场景",
            "应用场景",
            "용도",
            "사용 목적",
            "활용 분야",
        ),
    ),
    "bias_risks_limitations": (
        "limitaciones sesgos sesgo riesgos limites biais risques einschränkungen grenzen verzerrungen risiken"
        " ограничения риски предвзятость limitações vieses viés riscos",
        ("avertissement", "haftungsausschluss", "дисклеймер"),
        (
            "制限",
            "制約",
            "限界",
            "バイアス",
            "リスク",
            "注意事項",
            "免責",
            "局限",
            "偏见",
            "偏見",
            "风险",
            "風險",
            "免责",
            "注意事项",
            "한계",
            "편향",
            "위험",
            "주의사항",
            "면책",
        ),
    ),
    "how_to_get_started": (
        "inferencia instalación utilisation inférence verwendung nutzung benutzung schnellstart inferenz"
        " использование установка запуск utilização instalação inferência",
        (
            "cómo usar",
            "como usar",
            "cómo utilizar",
            "modo de uso",
            "ejemplo de uso",
            "comment utiliser",
            "démarrage rapide",
            "exemple d utilisation",
            "как использовать",
            "пример использования",
            "быстрый старт",
            "exemplo de uso",
        ),
        (
            "使い方",
            "使用方法",
            "利用方法",
            "使用例",
            "推論",
            "インストール",
            "クイックスタート",
            "実行方法",
            "サンプルコード",
            "快速开始",
            "快速上手",
            "如何使用",
            "推理",
            "安装",
            "使用示例",
            "用法",
            "使用方式",
            "사용법",
            "사용 방법",
            "사용 예시",
            "추론",
            "설치",
            "시작하기",
            "빠른 시작",
        ),
    ),
    "training_details": (
        "entrenamiento hiperparámetros entraînement apprentissage hyperparamètres trainingsdaten feinabstimmung"
        " обучение гиперпараметры дообучение датасет treinamento treino hiperparâmetros",
        (
            "datos de entrenamiento",
            "ajuste fino",
            "données d entraînement",
            "données d apprentissage",
            "данные для обучения",
            "обучающие данные",
            "dados de treinamento",
        ),
        (
            "学習",
            "訓練",
            "トレーニング",
            "ファインチューニング",
            "データセット",
            "ハイパーパラメータ",
            "训练",
            "微调",
            "微調",
            "数据集",
            "數據集",
            "超参数",
            "预训练",
            "학습",
            "훈련",
            "데이터셋",
            "파인튜닝",
            "미세 조정",
            "하이퍼파라미터",
        ),
    ),
    "evaluation": (
        "evaluación resultados métricas rendimiento évaluation résultats métriques performances evaluierung"
        " ergebnisse auswertung bewertung leistung metriken оценка результаты метрики бенчмарк avaliação"
        " desempenho",
        (),
        (
            "評価",
            "評価結果",
            "性能",
            "ベンチマーク",
            "评估",
            "評估",
            "评测",
            "評測",
            "结果",
            "結果",
            "评价",
            "基准",
            "평가",
            "결과",
            "성능",
            "벤치마크",
        ),
    ),
    "environmental_impact": (
        "emisiones émissions emissionen выбросы emissões",
        ("impacto ambiental", "impact environnemental", "umweltauswirkungen", "воздействие на окружающую среду"),
        ("環境への影響", "環境影響", "二酸化炭素", "环境影响", "碳排放", "환경 영향", "탄소 배출"),
    ),
    "technical_specifications": (
        "arquitectura architektur архитектура arquitetura",
        (
            "especificaciones técnicas",
            "spécifications techniques",
            "technische spezifikationen",
            "технические характеристики",
            "especificações técnicas",
        ),
        (
            "技術仕様",
            "アーキテクチャ",
            "モデル構造",
            "ハードウェア",
            "動作環境",
            "技术规格",
            "模型架构",
            "模型结构",
            "硬件",
            "기술 사양",
            "아키텍처",
            "모델 구조",
            "하드웨어",
        ),
    ),
    "citation": (
        "citación cita citar referencias citer références zitation zitieren referenzen цитирование литература"
        " citação referências",
        ("как цитировать",),
        ("引用", "参考文献", "引文", "인용", "참고 문헌", "참고문헌"),
    ),
    "glossary": ("glosario glossaire glossar глоссарий glossário", (), ("用語集", "术语", "術語", "용어집")),
    "more_information": (
        "enlaces recursos liens ressources ссылки recursos",
        (
            "más información",
            "información adicional",
            "plus d informations",
            "informations complémentaires",
            "weitere informationen",
            "дополнительная информация",
            "mais informações",
        ),
        ("詳細情報", "関連リンク", "リンク", "更多信息", "相关链接", "链接", "추가 정보", "링크"),
    ),
    "card_authors": ("autores auteurs autoren авторы", (), ("作成者", "著者", "作者", "작성자", "저자")),
    "contact": (
        "contacto kontakt контакты контакт contato",
        (),
        ("連絡先", "お問い合わせ", "問い合わせ", "联系", "聯繫", "연락처", "문의"),
    ),
}
# combined "uses and limitations" headings in CJK (the word rules cover the other languages' pairs)
USES_AND_LIMITS_CJK = (
    "用途と制限",
    "用途和限制",
    "用途与限制",
    "用途和局限",
    "用途及限制",
    "용도 및 한계",
    "용도와 한계",
)


# --- content cues: section slug -> ((substring, needs a number on its line), ...) ----------------------------


def _cues(text: str, need: int = 0) -> tuple[tuple[str, int], ...]:
    return tuple((c.strip(), need) for c in text.split("|") if c.strip())


CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "model_details": _cues(
        "problem type|default pipeline|| **name** ||this model is|this is a |the model is a|fine-tuned version of|finetuned version of|fine tuned version of|trained from scratch on"
        "|developed by|model type|is a model|we present|we introduce|このモデルは|本モデルは|これは|这是|本模型|该模型|此模型|該模型"
        "|이 모델은|본 모델은|este modelo es|este modelo fue|ce modèle est|dieses modell ist|das modell ist|эта модель"
        "|данная модель|модель основана|esse modelo|este modelo é"
    ),
    "uses": _cues(
        "intended use|intended to be used|should not be used|shouldn't be used|not be used for|not intended|is intended to"
        "|specialized for|specialised for|specialized in|optimized for|optimised for|works well for|works well with"
        "|good at|is used for|is used in|for generating|is intended for|can be used for|can be used to|could be used for"
        "|is designed for|is designed to|is meant for|use cases|use-cases|out-of-scope|out of scope|you can use this model"
        "|is useful for|primary use|suitable for|用途|用于|可用于|适用于|利用でき|使用でき|用いることができ|사용할 수 있|활용할 수 있|용도"
        "|se puede usar|puede usarse|puede ser usado|puede ser utilizado|puede utilizarse|diseñado para|destinado a"
        "|peut être utilisé|conçu pour|destiné à|kann verwendet werden|kann für|gedacht für|entwickelt für"
        "|можно использовать|предназначен|pode ser usado|pode ser utilizado|projetado para|destina-se"
    ),
    "bias_risks_limitations": _cues(
        "limitation|limitations|biases|biased|risks|harmful|offensive|toxic|hallucinate|hallucinates|hallucination|hallucinations|disclaimer"
        "|uncensored|own risk|注意点|利用上の注意|may generate|may produce|can generate|can produce|not suitable|inaccurate|inaccuracies|misuse|ethical|caution"
        "|制限|限界|バイアス|リスク|偏り|有害|免責|局限|偏见|偏見|风险|有害|免责|한계|편향|위험|유해|limitaciones|limitación|sesgo|sesgos|riesgo|riesgos|limites"
        "|biais|risque|risques|einschränkung|einschränkungen|verzerrung|verzerrungen|risiken|ограничения|ограничение|предвзятость|риски|риск|limitação|limitações|viés|vieses|risco|riscos"
    ),
    "how_to_get_started": _cues(
        "from_pretrained|pipeline(|import |pip install|git clone|huggingface-cli|hf_hub_download|curl |!pip"
        "|.generate(|automodel|llama.cpp|llama-cli|./main |ollama run|docker run|sentencetransformer(|load_model("
        "|torch.load|model.predict|vllm serve|text-generation-launcher|diffusionpipeline|from_single_file"
    ),
    "training_details": _cues(
        "hyperparameter|learning_rate|learning rate|train_batch_size|batch size|batch_size|epochs|optimizer"
        "|training data|training procedure|trained for"
        "|training steps|warmup|merge_method|merge method|mergekit|training loss|finetuning|fine-tuning on"
        "|trained using|trained with|pre-processing|preprocessing|dataset:|datasets:"
        "|微调|训练|訓練|файнтюн|дообуч|学習し|学習率|エポック|学習データ|学習しました"
        "|学習させ|学習を行|ファインチューニングし|训练数据|学习率|训练了|训练的|训练集|학습률|학습 데이터|학습했|학습시|entrenado con"
        "|entrenado en|datos de entrenamiento|tasa de aprendizaje|entraîné sur|entraîné avec|données d'entraînement"
        "|taux d'apprentissage|trainiert auf|trainiert mit|trainingsdaten|lernrate|обучена на|обучен на|обучающие|обучающих"
        "|скорость обучения|treinado com|treinado em|dados de treinamento|taxa de aprendizado"
    ),
    "evaluation": _cues(
        "achieves the following results|evaluation results|open llm leaderboard|evaluated on|we evaluate"
        "|evaluate our model|評価|评测|评估|평가"
    )
    + _cues(
        "accuracy|f1|wer|cer|bleu|rouge|perplexity|precision|recall|eval_loss|validation loss|mmlu|hellaswag"
        "|gsm8k|truthfulqa|winogrande|exact match|auc|ndcg|spearman|pearson|rmse|map@|mean average precision"
        "|精度|正解率|准确率|準確率|正确率|정확도|precisión|exactitud|précision|genauigkeit|точность|acurácia|precisão",
        NUM,
    ),
    "environmental_impact": _cues(
        "co2|co₂|carbon|emission|emissions|kwh|hours used|cloud provider|compute region|碳排放|二酸化炭素|탄소|emisiones"
        "|émissions|emissionen|выброс|emissões|gpu-hours|gpu hours|hours on|hours with|hours using|hour on|days on"
        "|training took|training time|train time|training was completed",
        NUM,
    )
    + _cues("a100|a6000|a10g|v100|h100|3090|4090|2080|rtx|tpu|gpu|gpus|nvidia|显卡|张a100", DURATION),
    "technical_specifications": _cues(
        "framework versions|model architecture|compute infrastructure|hardware type|hardware:|software:"
        "|transformers 4|pytorch 1|pytorch 2|tensorflow 2|tokenizers 0|モデル構造|アーキテクチャ|模型架构|模型结构|아키텍처"
        "|arquitectura del modelo|architecture du modèle|modellarchitektur|архитектура модели|arquitetura do modelo"
    )
    + _cues(
        "a100|h100|v100|a6000|rtx|tpu v|gpus|params (m)|gmacs|-layer|hidden size|-hidden|-heads"
        "|image size|context length|sequence length|vocab size|vocabulary size|| **spacy** |",
        NUM,
    ),
    "citation": _cues(
        "@article{|@inproceedings{|@misc{|@book{|@online{|@software{|@techreport{|@phdthesis{|@incollection{"
        "|@inbook{|@conference{|@unpublished{|please cite|cite our|cite this|引用してください|引用する|请引用|인용"
        "|por favor cite|veuillez citer|bitte zitieren|цитируйте|por favor, cite"
    ),
    "glossary": (),
    "model_examination": (),
    "more_information": _cues(
        "for more information|for more details|more details|more information|see our paper|arxiv.org/|project page"
        "|github.com/|paper:|website|blog|homepage|demo:|论文|論文|논문"
        "|詳細は|详情|更多信息|자세한|más información|plus d'informations|weitere informationen|подробнее|mais informações"
    ),
    "card_authors": _cues(
        "model card authors|card written by|model card was written|this card was written|card prepared by"
        "|model card by|card authored by"
    ),
    "contact": _cues(
        "contact|reach out|open an issue|get in touch|please email|e-mail:|email:|联系|連絡|문의|contacto"
        "|contactez|kontakt|связаться|contato|discord.gg|discord server|join our discord|wechat|微信|telegram"
        "|邮箱|メール"
    ),
}

# Task statements ("for sentiment classification of tweets", "a chatbot") answer Uses where the
# model is described: untitled text, a description or uses passage (not a metrics table's header).
DESCRIBE_CUES: dict[str, tuple[tuple[str, int], ...]] = {
    "uses": _cues(
        "sentiment|classification|classify|classifies|classifier|translation|translate|translates|summarization"
        "|summarize|summarizes|summaries|question answering|question-answering|named entity|ner |text generation"
        "|speech recognition|transcription|transcribe|text-to-speech|text to speech|text-to-image|image generation"
        "|object detection|detection|detect|detects|segmentation|chatbot|chat |conversational|dialogue|dialog"
        "|sentence similarity|semantic search|retrieval|paraphrase|paraphrasing|tagging"
        "|role-play|roleplay|roleplaying|instruction following|instruction-following|code generation|fill-mask"
        "|captioning|ocr|tasks|task|coding|poems|poetry|stories"
        "|storytelling|source languages|target languages|source language|target language|生成|사용됩니다|чат|читчат"
        "|чат-бот|намерений|распознавания|распознования|分類|翻訳|要約|質問応答|感情分析|対話|チャット|分类|翻译|摘要|问答|情感分析|对话|相似度"
        "|분류|번역|요약|질의응답|감성 분석|감정 분석|대화|análisis de sentimiento|clasificación|traducción|classification"
        "|traduction|klassifikation|übersetzung|классификации|классификация|перевод|генерация|генератор|диалог"
        "|classificação|tradução|analisis de sentimientos"
    ),
}

# Links to a tool's or library's own repository say nothing more about this model ("created using
# mergekit", "a PPO agent trained with stable-baselines3"): no More Information from them.
GENERIC_LINKS = tuple(
    "github.com/" + r
    for r in (
        "huggingface/",
        "cg123/mergekit",
        "arcee-ai/mergekit",
        "dlr-rm/",
        "espnet/",
        "intel/",
        "ggerganov/",
        "unity-technologies/",
        "thelastben/",
        "automatic1111/",
        "oobabooga/",
        "openai/",
        "alex-petrenko/",
        "explosion/",
        "pytorch/",
        "tensorflow/",
        "keras-team/",
        "scikit-learn/",
        "skops-dev/",
        "speechbrain/",
        "lightning-ai/",
        "microsoft/deepspeed",
        "nvidia/",
        "artidoro/qlora",
        "hiyouga/llama-factory",
        "openaccess-ai-collective/axolotl",
        "unslothai/",
        "vllm-project/",
        "turboderp/",
        "casper-hansen/autoawq",
        "autogptq/",
        "pygmalionai/",
        "lostruins/",
        "sillytavern/",
        "eleutherai/lm-evaluation-harness",
        "ukplab/sentence-transformers",
        "facebookresearch/fairseq",
        "google/sentencepiece",
    )
)
