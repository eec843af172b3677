package io.chorus.generate;

import static io.chorus.generate.Randoms.categorical;
import static io.chorus.generate.Randoms.pick;
import static io.chorus.generate.Randoms.weightedIndex;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.conv;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import io.chorus.schema.Accounts;
import io.chorus.schema.Labels;
import io.chorus.schema.Posts;
import io.chorus.schema.Truth;
import io.chorus.schema.Watchlist;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * A synthetic archive with planted truth, as pure Spark column expressions. Calibration, with the
 * source of each assumption (see also README, "Synthetic archive"):
 *
 * <ul>
 *   <li>Follower counts are log-normal with a heavy tail (Kwak et al. 2010, "What is Twitter, a
 *       social network or a news media?"; Myers et al. 2014 on the follower distribution).
 *   <li>Human activity is heavy-tailed: a log-normal posting weight with sigma 2 gives the top 10% of
 *       humans about 70-80% of human posts (Pew Research Center 2019, "Sizing up Twitter users").
 *   <li>Humans post on a diurnal cycle in their local time, lowest at 3-6 am and highest in the
 *       evening (Golder and Macy 2011, Science 333:1878). Officials post in office hours.
 *   <li>Human reposts follow a log-normal delay with a median of one hour; about half of retweets
 *       happen within the first hour (Kwak et al. 2010). Some humans therefore repost a viral post
 *       within seconds of each other without coordinating.
 *   <li>Bot kinds follow the literature: high-rate spam/link bots and fake followers with near-empty
 *       default profiles (Cresci et al. 2015 "Fame for sale", 2017 "The paradigm-shift of social
 *       spambots"), retweet amplifiers (Mazza et al. 2019, "RTbust"), and cyborg/troll accounts that
 *       post like humans (Chu et al. 2012). Bots post more than humans: at a 15% account share they
 *       produce about 20% of posts (Bessi and Ferrara 2016 report 15% of accounts, 19% of tweets).
 *   <li>Coordinated campaigns are groups of about 25 amplifier and troll accounts that repost the
 *       same targets within 3-50 s (Pacheco et al. 2021; Keller et al. 2020 on astroturfing).
 *   <li>Default-style handles (a name plus 8 digits) mark many fake accounts, and also some humans
 *       (Yang et al. 2020, BotometerLite, screen-name features).
 * </ul>
 */
public final class SyntheticArchive {
  public static final String PLATFORM = "twitter";
  public static final String HUMAN = "human";
  public static final String OFFICIAL = "official";
  public static final String SPAM = "spam_bot";
  public static final String AMPLIFIER = "amplifier_bot";
  public static final String FAKE = "fake_follower";
  public static final String CYBORG = "cyborg";

  /** Amplifier and troll accounts per planted campaign, on average. */
  static final int CAMPAIGN_SIZE = 25;
  /** Target posts each campaign reposts in concert. */
  static final int CAMPAIGN_TARGETS = 10;
  static final double AMPLIFIER_CAMPAIGN_SHARE = 0.6;
  static final double CYBORG_CAMPAIGN_SHARE = 0.2;
  static final long ACCOUNT_ID_BASE = 1_000_000_000L;
  static final long CAMPAIGN_SEQ_BASE = 9_000_000L;

  static final String[] TOPICS = {"election", "climate", "health", "economy", "sports", "tech", "migration", "diplomacy"};
  static final String[][] TOPIC_TAGS = {
    {"election2024", "vote", "debate", "polls", "ballot"},
    {"climate", "climatecrisis", "netzero", "cop29", "renewables"},
    {"health", "vaccine", "covid", "publichealth", "nurses"},
    {"economy", "inflation", "jobs", "markets", "trade"},
    {"football", "olympics", "nba", "worldcup", "tennis"},
    {"ai", "tech", "crypto", "startups", "cybersecurity"},
    {"migration", "refugees", "border", "asylum", "immigration"},
    {"diplomacy", "un", "g20", "summit", "sanctions"},
  };
  static final String[] LANGS = {"en", "es", "fr", "de", "ru", "ar", "pt", "tr"};
  static final double[] LANG_WEIGHTS = {0.55, 0.10, 0.07, 0.06, 0.08, 0.06, 0.05, 0.03};
  static final String[] COUNTRIES = {"US", "GB", "FR", "DE", "RU", "CN", "IR", "TR", "IN", "BR", "SA", "UA"};
  static final String[] ACTOR_TYPES = {"embassy", "ministry", "head_of_state", "state_media"};
  static final String[] TZ = {"-8", "-7", "-6", "-5", "-5", "-4", "-3", "0", "0", "1", "1", "1", "2", "3", "3", "5", "8", "9"};
  static final String[] FIRST = {
    "anna", "ben", "carla", "david", "elena", "farid", "grace", "hugo", "ines", "jamal", "kate", "liam", "maria", "nina",
    "omar", "paula", "quinn", "rosa", "sam", "tariq", "uma", "victor", "wendy", "xavi", "yusuf", "zoe", "li", "mehmet",
    "olga", "pierre", "sofia", "jonas", "aisha", "diego", "hana", "ivan"
  };
  static final String[] SURNAME = {
    "smith", "garcia", "muller", "rossi", "dubois", "ivanova", "khan", "silva", "kim", "nguyen", "cohen", "okafor",
    "jensen", "novak", "yilmaz", "haddad", "tanaka", "moreau", "weber", "lopez"
  };
  static final String[] VOCAB = {
    "the", "people", "today", "new", "report", "says", "week", "government", "watch", "read", "this", "why", "thread",
    "big", "news", "local", "world", "time", "support", "against", "plan", "vote", "market", "city", "must", "never",
    "again", "great", "really", "think", "shows", "data", "policy", "debate", "live", "update", "breaking", "story",
    "crisis", "win", "lose", "truth", "media", "video", "look", "share", "agree", "wrong", "right", "future", "state",
    "minister", "public", "health", "money", "team", "game", "school", "family", "work", "change", "history", "power",
    "free", "open", "together", "strong", "country", "citizens", "answer", "question", "facts", "hope", "fight", "peace"
  };
  static final String[] HUMAN_SOURCES = {"Twitter for iPhone", "Twitter for Android", "Twitter Web App"};
  static final String[] BOT_SOURCES = {"dlvr.it", "IFTTT", "twittbot.net", "Buffer", "autopost-api"};
  /** Local-hour activity weights for humans, 0h..23h (shape after Golder and Macy 2011). */
  static final double[] DIURNAL = {
    3, 2, 1.5, 1, 1, 1.2, 2, 3.5, 4.5, 5, 5.2, 5.4, 5.6, 5.5, 5.4, 5.4, 5.6, 5.8, 6, 6.3, 6.6, 6.5, 5.5, 4.2
  };
  static final double[] OFFICE_HOURS = {
    0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 5, 8, 9, 9, 7, 8, 9, 9, 8, 6, 3, 1.5, 1, 0.6, 0.4, 0.3
  };
  static final double[] FLAT = new double[24];

  static {
    java.util.Arrays.fill(FLAT, 1.0);
  }

  private final GenerateConfig cfg;
  private final Randoms r;

  public SyntheticArchive(GenerateConfig cfg) {
    this.cfg = cfg;
    this.r = new Randoms(cfg.seed());
  }

  // ---------------------------------------------------------------- accounts

  /** Account kind as a pure function of the numeric id. */
  Column kindOf(Column id) {
    double b = cfg.botShare();
    Column uk = r.u("kind", id);
    return when(id.lt(cfg.officials()), OFFICIAL)
        .when(id.lt(cfg.popular()), HUMAN)
        .when(uk.lt(b * 0.25), SPAM)
        .when(uk.lt(b * 0.60), AMPLIFIER)
        .when(uk.lt(b * 0.80), FAKE)
        .when(uk.lt(b), CYBORG)
        .otherwise(HUMAN);
  }

  static Column isBot(Column kind) {
    return kind.isin(SPAM, AMPLIFIER, FAKE, CYBORG);
  }

  Column accountIdOf(Column id) {
    return id.plus(ACCOUNT_ID_BASE).cast("string");
  }

  Column actorTypeOf(Column id) {
    return pick(ACTOR_TYPES, r.u("actor", id));
  }

  Column countryOf(Column id) {
    return pick(COUNTRIES, r.u("country", id));
  }

  /** Screen name as a pure function of the id, so mentions need no join. Unique by construction. */
  Column screenNameOf(Column id) {
    Column kind = kindOf(id);
    Column first = pick(FIRST, r.u("first", id));
    Column surname = pick(SURNAME, r.u("surname", id));
    // (id * 7919 + 12345) mod 1e8 is a bijection on ids below 1e8: default-style handles stay unique.
    Column eightDigits = lpad(pmod(id.multiply(7919).plus(12345), lit(100_000_000L)).cast("string"), 8, "0");
    Column defaultStyle = concat(first, eightDigits);
    Column personal = concat(first, lit("_"), surname, lit("_"), lower(conv(id.cast("string"), 10, 36)));
    Column official = concat(actorTypeOf(id), lit("_"), lower(countryOf(id)), lit("_"), id.cast("string"));
    Column u = r.u("handle", id);
    return when(kind.equalTo(OFFICIAL), official)
        .when(isBot(kind).and(kind.notEqual(CYBORG)).and(u.lt(0.7)), defaultStyle)
        .when(kind.equalTo(HUMAN).and(u.lt(0.1)), defaultStyle)
        .otherwise(personal);
  }

  /** Relative posting weight per account kind (log-normal around a per-kind median). */
  Column activityWeight(Column kind, Column id) {
    Column human = least(r.logNormal(1.0, 2.0, "act", id), lit(Math.exp(7)));
    return when(kind.equalTo(SPAM), r.logNormal(20, 0.7, "act", id))
        .when(kind.equalTo(AMPLIFIER), r.logNormal(10, 0.7, "act", id))
        .when(kind.equalTo(FAKE), r.logNormal(0.05, 1.0, "act", id))
        .when(kind.equalTo(CYBORG), r.logNormal(6, 0.8, "act", id))
        .when(kind.equalTo(OFFICIAL), r.logNormal(10, 0.6, "act", id))
        .when(id.lt(cfg.popular()), r.logNormal(15, 0.8, "act", id))
        .otherwise(human);
  }

  long campaigns() {
    double members = cfg.accounts() * cfg.botShare() * (0.35 * AMPLIFIER_CAMPAIGN_SHARE + 0.2 * CYBORG_CAMPAIGN_SHARE);
    return Math.max(1, Math.round(members / CAMPAIGN_SIZE));
  }

  /** The population: one row per account with its truth and latent traits. */
  public Dataset<Row> population(SparkSession spark) {
    Column id = col("id");
    Column kind = col("kind");
    Column inCampaign =
        when(kind.equalTo(AMPLIFIER), r.u("camp", id).lt(AMPLIFIER_CAMPAIGN_SHARE))
            .when(kind.equalTo(CYBORG), r.u("camp", id).lt(CYBORG_CAMPAIGN_SHARE))
            .otherwise(false);
    return spark
        .range(cfg.accounts())
        .withColumn("kind", kindOf(id))
        .withColumn("account_id", accountIdOf(id))
        .withColumn("screen_name", screenNameOf(id))
        .withColumn("is_bot", isBot(kind))
        .withColumn("campaign", when(inCampaign, r.index(campaigns(), "campidx", id)))
        .withColumn("topic", when(kind.equalTo(OFFICIAL), lit(7L)).otherwise(r.index(TOPICS.length, "topic", id)))
        .withColumn("lang", element_at(array(java.util.Arrays.stream(LANGS).map(org.apache.spark.sql.functions::lit).toArray(Column[]::new)),
            weightedIndex(LANG_WEIGHTS, r.u("lang", id)).plus(1)))
        .withColumn("tz", pick(TZ, r.u("tz", id)).cast("int"))
        .withColumn("weight", activityWeight(kind, id));
  }

  /** Adds n_posts: each account's share of the regular (non-campaign) post budget. */
  Dataset<Row> withPostCounts(Dataset<Row> pop) {
    double total = pop.agg(sum("weight")).first().getDouble(0);
    double budget = Math.max(cfg.accounts(), cfg.posts() - expectedCampaignPosts());
    Column n = floor(col("weight").multiply(budget / total).plus(r.u("round", col("id")))).cast("long");
    return pop.withColumn("n_posts", least(n, lit(CAMPAIGN_SEQ_BASE - 1)));
  }

  long expectedCampaignPosts() {
    return Math.round(campaigns() * (double) CAMPAIGN_SIZE * CAMPAIGN_TARGETS);
  }

  /** Canonical profile snapshots, one per account, observed at the end of the archive window. */
  public Dataset<Row> profiles(Dataset<Row> pop) {
    Column id = col("id");
    Column kind = col("kind");
    long startSec = cfg.start().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long endSec = startSec + cfg.days() * 86_400L;
    Column followers =
        when(kind.equalTo(OFFICIAL), r.logNormal(40_000, 1.2, "fol", id))
            .when(id.lt(cfg.popular()), r.logNormal(80_000, 1.0, "fol", id))
            .when(kind.equalTo(HUMAN), r.logNormal(200, 1.6, "fol", id))
            .when(kind.equalTo(SPAM), r.logNormal(60, 1.5, "fol", id))
            .when(kind.equalTo(AMPLIFIER), r.logNormal(35, 1.2, "fol", id))
            .when(kind.equalTo(FAKE), r.logNormal(5, 1.0, "fol", id))
            .otherwise(r.logNormal(400, 1.5, "fol", id));
    Column friends =
        when(kind.equalTo(FAKE), r.logNormal(700, 0.8, "fri", id))
            .when(kind.equalTo(AMPLIFIER), r.logNormal(400, 1.0, "fri", id))
            .when(kind.equalTo(SPAM), r.logNormal(250, 1.2, "fri", id))
            .when(kind.equalTo(OFFICIAL), r.logNormal(300, 1.0, "fri", id))
            .otherwise(r.logNormal(250, 1.2, "fri", id));
    // Account creation, years before the archive: bots are younger on average, with overlap.
    Column ageYears =
        when(kind.equalTo(OFFICIAL), lit(8.0).plus(r.u("age", id).multiply(7)))
            .when(kind.isin(SPAM, AMPLIFIER), lit(0.05).plus(r.u("age", id).multiply(4)))
            .when(kind.equalTo(FAKE), lit(0.05).plus(r.u("age", id).multiply(6)))
            .when(kind.equalTo(CYBORG), lit(0.5).plus(r.u("age", id).multiply(10)))
            .otherwise(lit(0.2).plus(r.u("age", id).multiply(15)));
    Column createdSec = lit(startSec).minus(ageYears.multiply(365.25 * 86_400)).cast("long");
    Column ratePerDay = col("n_posts").divide(cfg.days());
    Column statuses = round(ratePerDay.multiply(ageYears.multiply(365.25)).multiply(lit(0.3).plus(r.u("st", id))).plus(col("n_posts")))
        .cast("long");
    Column favourites =
        when(kind.isin(SPAM, FAKE), r.logNormal(5, 2.0, "fav", id))
            .when(kind.equalTo(AMPLIFIER), r.logNormal(300, 1.5, "fav", id))
            .otherwise(r.logNormal(1500, 1.8, "fav", id));
    Column listed = when(isBot(kind), floor(r.u("lst", id).multiply(3)))
        .otherwise(floor(followers.multiply(0.01).multiply(r.u("lst", id))));
    Column verified = when(kind.equalTo(OFFICIAL), r.u("ver", id).lt(0.8))
        .when(id.lt(cfg.popular()), r.u("ver", id).lt(0.3))
        .when(kind.equalTo(HUMAN), r.u("ver", id).lt(0.005))
        .otherwise(false);
    Column defaultProfile = r.u("dp", id).lt(
        when(kind.equalTo(FAKE), 0.8).when(kind.equalTo(AMPLIFIER), 0.5).when(kind.equalTo(SPAM), 0.4)
            .when(kind.equalTo(OFFICIAL), 0.02).when(kind.equalTo(CYBORG), 0.15).otherwise(0.12));
    Column defaultImage = r.u("dpi", id).lt(
        when(kind.equalTo(FAKE), 0.6).when(kind.equalTo(AMPLIFIER), 0.3).when(kind.equalTo(SPAM), 0.2)
            .when(kind.equalTo(CYBORG), 0.03).when(kind.equalTo(OFFICIAL), 0.0).otherwise(0.04));
    Column background = r.u("bg", id).lt(when(kind.equalTo(FAKE), 0.2).when(isBot(kind), 0.45).otherwise(0.7));
    Column hasDescription = r.u("hasdesc", id).lt(
        when(kind.equalTo(FAKE), 0.1).when(kind.isin(SPAM, AMPLIFIER), 0.4).when(kind.equalTo(OFFICIAL), 1.0).otherwise(0.75));
    Column description = when(hasDescription, words("desc", id, 4, 14));
    Column displayName =
        when(kind.equalTo(OFFICIAL), concat(lit("Official "), actorTypeOf(id), lit(" "), countryOf(id)))
            .when(kind.equalTo(FAKE), pick(FIRST, r.u("first", id)))
            .otherwise(concat(pick(FIRST, r.u("first", id)), lit(" "), pick(SURNAME, r.u("surname", id))));
    return pop.select(
        col("account_id").as(Accounts.ACCOUNT_ID),
        lit(PLATFORM).as(Accounts.PLATFORM),
        timestamp_seconds(lit(endSec)).as(Accounts.OBSERVED_AT),
        col("screen_name").as(Accounts.SCREEN_NAME),
        displayName.as(Accounts.DISPLAY_NAME),
        description.as(Accounts.DESCRIPTION),
        timestamp_seconds(createdSec).as(Accounts.ACCOUNT_CREATED_AT),
        floor(followers).cast("long").as(Accounts.FOLLOWERS_COUNT),
        floor(friends).cast("long").as(Accounts.FRIENDS_COUNT),
        statuses.as(Accounts.STATUSES_COUNT),
        floor(favourites).cast("long").as(Accounts.FAVOURITES_COUNT),
        listed.cast("long").as(Accounts.LISTED_COUNT),
        verified.as(Accounts.VERIFIED),
        defaultProfile.as(Accounts.DEFAULT_PROFILE),
        defaultImage.as(Accounts.DEFAULT_PROFILE_IMAGE),
        background.as(Accounts.PROFILE_USE_BACKGROUND_IMAGE),
        when(r.u("loc", id).lt(when(isBot(kind), 0.3).otherwise(0.6)), countryOf(id.plus(7))).otherwise(lit("")).as(Accounts.LOCATION));
  }

  /** Between min and max words from VOCAB, joined by spaces. */
  Column words(String salt, Column key, int min, int max) {
    Column n = lit(min).plus(floor(r.u(salt + ".n", key).multiply(max - min + 1))).cast("int");
    return array_join(
        transform(sequence(lit(1), n), i -> pick(VOCAB, r.u(salt, key, i))), " ");
  }

  // ---------------------------------------------------------------- posts

  /** Planned post kind per account kind (before parent resolution). */
  static Column plannedKind(Column kind, Column u) {
    String[] k = {Posts.KIND_ORIGINAL, Posts.KIND_REPOST, Posts.KIND_REPLY, Posts.KIND_QUOTE};
    return when(kind.equalTo(OFFICIAL), categorical(k, new double[] {0.70, 0.20, 0.10, 0.0}, u))
        .when(kind.equalTo(SPAM), categorical(k, new double[] {0.90, 0.10, 0.0, 0.0}, u))
        .when(kind.equalTo(AMPLIFIER), categorical(k, new double[] {0.05, 0.90, 0.0, 0.05}, u))
        .when(kind.equalTo(FAKE), categorical(k, new double[] {0.50, 0.50, 0.0, 0.0}, u))
        .when(kind.equalTo(CYBORG), categorical(k, new double[] {0.35, 0.45, 0.15, 0.05}, u))
        .otherwise(categorical(k, new double[] {0.45, 0.35, 0.15, 0.05}, u));
  }

  /** Hour of day in UTC: diurnal in local time for people, flat for automated accounts. */
  Column utcHour(Column kind, Column tz, Column key) {
    Column u = r.u("hour", key);
    Column local =
        when(kind.equalTo(OFFICIAL), weightedIndex(OFFICE_HOURS, u))
            .when(kind.isin(SPAM, AMPLIFIER, FAKE), weightedIndex(FLAT, u))
            .otherwise(weightedIndex(DIURNAL, u));
    return pmod(local.minus(tz), lit(24));
  }

  Column hashtags(Column kind, Column topic, Column key) {
    Column k =
        when(kind.equalTo(SPAM), lit(2).plus(floor(r.u("ntag", key).multiply(2))))
            .when(kind.equalTo(CYBORG), lit(1).plus(floor(r.u("ntag", key).multiply(2))))
            .when(kind.equalTo(AMPLIFIER), floor(r.u("ntag", key).multiply(2)))
            .when(kind.equalTo(OFFICIAL), floor(r.u("ntag", key).multiply(2)))
            .otherwise(weightedIndex(new double[] {0.7, 0.2, 0.1}, r.u("ntag", key)))
            .cast("int");
    Column[] topicArrays = new Column[TOPIC_TAGS.length];
    for (int t = 0; t < TOPIC_TAGS.length; t++) {
      topicArrays[t] = array(java.util.Arrays.stream(TOPIC_TAGS[t]).map(org.apache.spark.sql.functions::lit).toArray(Column[]::new));
    }
    Column tags = element_at(array(topicArrays), topic.cast("int").plus(1));
    Column picked = transform(sequence(lit(1), greatest(k, lit(1))), i -> element_at(tags, floor(r.u("tag", key, i).multiply(5)).cast("int").plus(1)));
    return when(k.equalTo(0), array().cast("array<string>")).otherwise(array_distinct(picked));
  }

  Column urls(Column kind, Column key) {
    Column h = lower(conv(pmod(org.apache.spark.sql.functions.xxhash64(lit(cfg.seed()), key), lit(2_000_000_000L)).cast("string"), 10, 36));
    Column spam = array(concat(lit("https://bit.ly/"), h));
    Column news = array(concat(lit("https://news-"), r.index(20, "dom", key).cast("string"), lit(".example.com/a/"), h));
    Column share = when(kind.equalTo(SPAM), 1.0).when(kind.equalTo(OFFICIAL), 0.4).when(kind.equalTo(AMPLIFIER), 0.1).otherwise(0.15);
    return when(kind.equalTo(SPAM), spam).when(r.u("url", key).lt(share), news).otherwise(array().cast("array<string>"));
  }

  /**
   * Regular posts with planned kinds. Originals are final; the others still need a parent ({@link
   * #resolveParents}).
   */
  Dataset<Row> plannedPosts(Dataset<Row> popWithCounts) {
    long startSec = cfg.start().atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    Column kind = col("kind");
    Column key = col("post_id");
    Dataset<Row> exploded =
        popWithCounts
            .filter(col("n_posts").gt(0))
            .select(col("*"), explode(sequence(lit(0L), col("n_posts").minus(1))).as("seq"))
            .withColumn("post_id", concat(col("account_id"), lpad(col("seq").cast("string"), 7, "0")));
    Column day = r.index(cfg.days(), "day", key);
    Column seconds = lit(startSec).plus(day.multiply(86_400)).plus(utcHour(kind, col("tz"), key).multiply(3600))
        .plus(r.index(3600, "sec", key));
    Column postTopic = when(r.u("ontopic", key).lt(0.7), col("topic")).otherwise(r.index(TOPICS.length, "ptopic", key));
    Column spamText = concat(lit("Limited offer: "), words("spam", concat(col("account_id"), pmod(col("seq"), lit(3)).cast("string")), 3, 6), lit(" - click now"));
    Column text = when(kind.equalTo(SPAM), spamText)
        .otherwise(concat(pick(TOPICS, r.u("tw", key)), lit(" "), words("text", key, 5, 16)));
    Column mentionPopular = when(r.u("men", key).lt(0.1), array(screenNameOf(floor(pow(r.u("menid", key), 2).multiply(cfg.popular())).cast("long"))))
        .otherwise(array().cast("array<string>"));
    return exploded.select(
        col("id"),
        col("account_id"),
        col("screen_name"),
        kind,
        col("lang"),
        col("post_id"),
        col("seq"),
        plannedKind(kind, r.u("pkind", key)).as("planned_kind"),
        timestamp_seconds(seconds).as("created_at"),
        postTopic.as("post_topic"),
        text.as("text"),
        hashtags(kind, postTopic, key).as("hashtags"),
        urls(kind, key).as("urls"),
        mentionPopular.as("mentions"),
        when(isBot(kind).and(kind.notEqual(CYBORG)), pick(BOT_SOURCES, r.u("src", col("id"))))
            .when(kind.equalTo(OFFICIAL), lit("Twitter Web App"))
            .otherwise(pick(HUMAN_SOURCES, r.u("src", col("id")))).as("source"));
  }

  /** Index of each account's originals, for parent lookups. */
  static Dataset<Row> originalsIndex(Dataset<Row> planned) {
    return planned
        .filter(col("planned_kind").equalTo(Posts.KIND_ORIGINAL))
        .withColumn("orig_idx", row_number().over(Window.partitionBy("id").orderBy("seq")).minus(1).cast("long"))
        .select(
            col("id").as("p_id"),
            col("orig_idx").as("p_idx"),
            col("post_id").as("p_post_id"),
            col("account_id").as("p_account_id"),
            col("screen_name").as("p_screen_name"),
            col("created_at").as("p_created_at"),
            col("text").as("p_text"),
            col("hashtags").as("p_hashtags"),
            col("urls").as("p_urls"),
            col("mentions").as("p_mentions"),
            col("lang").as("p_lang"));
  }

  /** Delay between a parent and its repost, in seconds, per account kind. */
  Column repostDelay(Column kind, Column key) {
    return when(kind.equalTo(AMPLIFIER), r.logNormal(20, 0.8, "delay", key))
        .when(kind.equalTo(CYBORG), r.logNormal(600, 1.5, "delay", key))
        .otherwise(greatest(lit(5.0), r.logNormal(3600, 1.5, "delay", key)));
  }

  /** Gives non-originals a parent chosen with preferential attachment; those without one become originals. */
  Dataset<Row> resolveParents(Dataset<Row> planned, Dataset<Row> originals) {
    Column key = col("post_id");
    Column kind = col("kind");
    double popularBias = 0.5;
    Column targetPopular = r.u("tpop", key).lt(when(kind.equalTo(AMPLIFIER), 0.8).otherwise(popularBias));
    Column target = when(targetPopular, floor(pow(r.u("tid", key), 2).multiply(cfg.popular())))
        .otherwise(r.index(cfg.accounts(), "tid2", key)).cast("long");
    Dataset<Row> counts = originals.groupBy(col("p_id").as("t_id")).agg(count("*").as("t_n"));
    Dataset<Row> wanting =
        planned.filter(col("planned_kind").notEqual(Posts.KIND_ORIGINAL)).withColumn("t_id", target)
            .join(counts, "t_id", "left")
            .withColumn("t_idx", when(col("t_id").notEqual(col("id")), floor(r.u("tidx", key).multiply(col("t_n"))).cast("long")));
    Dataset<Row> joined = wanting.join(originals, col("t_id").equalTo(col("p_id")).and(col("t_idx").equalTo(col("p_idx"))), "left");
    Column found = col("p_post_id").isNotNull();
    Column pk = col("planned_kind");
    Column delayed = timestamp_seconds(unix_seconds(col("p_created_at")).plus(floor(repostDelay(kind, key)).cast("long")));
    Column replyText = concat(lit("@"), col("p_screen_name"), lit(" "), words("reply", key, 3, 12));
    Dataset<Row> resolved =
        joined.select(
            col("account_id"), col("post_id"), col("seq"),
            when(found, pk).otherwise(Posts.KIND_ORIGINAL).as("kind"),
            when(found, delayed).otherwise(col("created_at")).as("created_at"),
            when(found.and(pk.equalTo(Posts.KIND_REPOST)), concat(lit("RT @"), col("p_screen_name"), lit(": "), col("p_text")))
                .when(found.and(pk.equalTo(Posts.KIND_REPLY)), replyText)
                .otherwise(col("text")).as("text"),
            when(found.and(pk.equalTo(Posts.KIND_REPOST)), col("p_lang")).otherwise(col("lang")).as("lang"),
            when(found, col("p_post_id")).as("parent_post_id"),
            when(found, col("p_account_id")).as("parent_account_id"),
            when(found.and(pk.equalTo(Posts.KIND_REPOST)), col("p_hashtags")).otherwise(col("hashtags")).as("hashtags"),
            when(found.and(pk.equalTo(Posts.KIND_REPOST)), col("p_mentions"))
                .when(found.and(pk.equalTo(Posts.KIND_REPLY)), array(col("p_screen_name")))
                .otherwise(col("mentions")).as("mentions"),
            when(found.and(pk.equalTo(Posts.KIND_REPOST)), col("p_urls"))
                .when(found.and(pk.equalTo(Posts.KIND_QUOTE)), array(concat(lit("https://twitter.com/i/status/"), col("p_post_id"))))
                .otherwise(col("urls")).as("urls"),
            col("source"),
            col("screen_name"));
    Dataset<Row> origs =
        planned.filter(col("planned_kind").equalTo(Posts.KIND_ORIGINAL))
            .select(
                col("account_id"), col("post_id"), col("seq"), lit(Posts.KIND_ORIGINAL).as("kind"), col("created_at"),
                col("text"), col("lang"), lit(null).cast("string").as("parent_post_id"),
                lit(null).cast("string").as("parent_account_id"), col("hashtags"), col("mentions"), col("urls"),
                col("source"), col("screen_name"));
    return origs.unionByName(resolved);
  }

  /**
   * The trace each planted campaign leaves by design, by campaign number: reposts of the targets
   * (co_repost), copy-paste replies to them (co_text, with near-duplicate variants) or quotes of
   * them with the members' own words (co_link, through the quoted status URL).
   */
  static Column campaignTrace(Column campaignN) {
    Column m = pmod(campaignN, lit(3));
    return when(m.equalTo(0), lit(io.chorus.schema.Coordination.CO_REPOST))
        .when(m.equalTo(1), lit(io.chorus.schema.Coordination.CO_TEXT))
        .otherwise(lit(io.chorus.schema.Coordination.CO_LINK));
  }

  /**
   * A copy-paste campaign member's text for one target: the campaign's template for the target as
   * is (a third of members), with one word appended, or with one word replaced. The variants are
   * near-duplicates: a word-bigram Jaccard similarity of 0.75 to 0.95 with the template.
   */
  Column copypasta(Column template, Column memberId, Column key) {
    Column words = org.apache.spark.sql.functions.split(template, " ");
    Column u = r.u("cp.style", memberId);
    Column replaceAt = lit(2).plus(floor(r.u("cp.at", key).multiply(size(words).minus(3)))).cast("int");
    Column replaced = array_join(transform(words, (w, i) -> when(i.plus(1).equalTo(replaceAt), pick(VOCAB, r.u("cp.w", key))).otherwise(w)), " ");
    return when(u.lt(1.0 / 3), template)
        .when(u.lt(2.0 / 3), concat(template, lit(" "), pick(VOCAB, r.u("cp.a", key))))
        .otherwise(replaced);
  }

  /**
   * Planted campaigns: every member amplifies each of the campaign's targets within 3-50 s, by a
   * repost, a copy-paste reply or a quote in its own words ({@link #campaignTrace}).
   */
  Dataset<Row> campaignPosts(Dataset<Row> pop, Dataset<Row> originals) {
    SparkSession spark = pop.sparkSession();
    Column c = col("campaign_id_n");
    Dataset<Row> counts = originals.groupBy(col("p_id").as("sponsor")).agg(count("*").as("s_n"));
    // Sponsors are popular accounts, officials twice as likely (state media, ministries), among those
    // with at least CAMPAIGN_TARGETS originals: an account cannot repost one post twice, so every
    // target must be a distinct post. (Without the condition, a sponsor with two originals gave its
    // campaign two targets reposted five times each.)
    Dataset<Row> eligible = counts.filter(col("sponsor").lt(cfg.popular()).and(col("s_n").geq(CAMPAIGN_TARGETS)))
        .withColumn("_off", col("sponsor").lt(cfg.officials()))
        .withColumn("_a", row_number().over(Window.orderBy(col("sponsor"))).minus(1))
        .withColumn("_o", when(col("_off"), row_number().over(Window.partitionBy(col("_off")).orderBy(col("sponsor"))).minus(1)));
    Row n = eligible.agg(count(lit(1)), count(col("_o"))).first();
    long nAll = n.getLong(0);
    long nOff = n.getLong(1);
    Dataset<Row> byKey = eligible.select(col("sponsor"), explode(array_compact(array(concat(lit("a"), col("_a").cast("string")),
        when(col("_off"), concat(lit("o"), col("_o").cast("string")))))).as("_key"));
    Column anyKey = concat(lit("a"), r.index(nAll, "sponsor2", c).cast("string"));
    Column sponsorKey = nOff > 0 ? when(r.u("sp_off", c).lt(0.5), concat(lit("o"), r.index(nOff, "sponsor", c).cast("string"))).otherwise(anyKey) : anyKey;
    Dataset<Row> campaigns = nAll > 0
        ? spark.range(campaigns()).withColumnRenamed("id", "campaign_id_n").withColumn("_key", sponsorKey).join(byKey, "_key").drop("_key")
        // A tiny archive with no such account: the old choice, with as many targets as the sponsor has originals.
        : spark.range(campaigns()).withColumnRenamed("id", "campaign_id_n")
            .withColumn("sponsor", when(r.u("sp_off", c).lt(0.5), r.index(cfg.officials(), "sponsor", c)).otherwise(r.index(cfg.popular(), "sponsor2", c)));
    campaigns = campaigns.select(col("campaign_id_n"), col("sponsor"), explode(sequence(lit(0), lit(CAMPAIGN_TARGETS - 1))).as("t"));
    Dataset<Row> targets = campaigns.join(counts, "sponsor")
        .filter(col("t").lt(col("s_n")))
        // Consecutive originals from a random start: distinct targets.
        .withColumn("p_idx_want", pmod(floor(r.u("ctarget", c).multiply(col("s_n"))).cast("long").plus(col("t")), col("s_n")))
        .join(originals, col("sponsor").equalTo(col("p_id")).and(col("p_idx_want").equalTo(col("p_idx"))));
    Dataset<Row> members = pop.filter(col("campaign").isNotNull())
        .select(col("campaign").as("campaign_id_n"), col("account_id"), col("screen_name"), col("id"));
    Column key = concat(col("account_id"), lit("c"), col("t").cast("string"));
    Column trace = campaignTrace(c);
    Column isRepost = trace.equalTo(io.chorus.schema.Coordination.CO_REPOST);
    Column isCopypasta = trace.equalTo(io.chorus.schema.Coordination.CO_TEXT);
    Column template = words("cp.tpl", concat(c.cast("string"), lit("t"), col("t").cast("string")), 14, 18);
    Column none = array().cast("array<string>");
    return members.join(targets, "campaign_id_n")
        .select(
            col("account_id"),
            concat(col("account_id"), lpad(col("t").plus(CAMPAIGN_SEQ_BASE).cast("string"), 7, "0")).as("post_id"),
            col("t").plus(CAMPAIGN_SEQ_BASE).cast("long").as("seq"),
            when(isRepost, lit(Posts.KIND_REPOST)).when(isCopypasta, lit(Posts.KIND_REPLY)).otherwise(lit(Posts.KIND_QUOTE)).as("kind"),
            timestamp_seconds(unix_seconds(col("p_created_at")).plus(lit(3).plus(r.index(48, "cdelay", key)))).as("created_at"),
            when(isRepost, concat(lit("RT @"), col("p_screen_name"), lit(": "), col("p_text")))
                .when(isCopypasta, concat(lit("@"), col("p_screen_name"), lit(" "), copypasta(template, col("id"), key)))
                .otherwise(words("cq", key, 3, 10)).as("text"),
            col("p_lang").as("lang"),
            col("p_post_id").as("parent_post_id"),
            col("p_account_id").as("parent_account_id"),
            when(isRepost, col("p_hashtags")).otherwise(none).as("hashtags"),
            when(isRepost, col("p_mentions")).when(isCopypasta, array(col("p_screen_name"))).otherwise(none).as("mentions"),
            when(isRepost, col("p_urls")).when(isCopypasta, none)
                .otherwise(array(concat(lit("https://twitter.com/i/status/"), col("p_post_id")))).as("urls"),
            pick(BOT_SOURCES, r.u("src", col("id"))).as("source"),
            col("screen_name"));
  }

  /** Canonical posts (clean, before planted defects). */
  public Dataset<Row> posts(Dataset<Row> popWithCounts) {
    // Persisted: originals, parent lookups and campaigns all read the planned posts.
    Dataset<Row> planned = plannedPosts(popWithCounts).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> originals = originalsIndex(planned).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> all = resolveParents(planned, originals).unionByName(campaignPosts(popWithCounts, originals));
    return all.select(
        col("post_id").as(Posts.POST_ID),
        lit(PLATFORM).as(Posts.PLATFORM),
        col("account_id").as(Posts.ACCOUNT_ID),
        col("created_at").as(Posts.CREATED_AT),
        col("text").as(Posts.TEXT),
        col("lang").as(Posts.LANG),
        col("kind").as(Posts.KIND),
        col("parent_post_id").as(Posts.PARENT_POST_ID),
        col("parent_account_id").as(Posts.PARENT_ACCOUNT_ID),
        col("hashtags").as(Posts.HASHTAGS),
        col("mentions").as(Posts.MENTIONS),
        col("urls").as(Posts.URLS),
        col("source").as(Posts.SOURCE),
        col("screen_name").as(Posts.AUTHOR_SCREEN_NAME));
  }

  /**
   * Plants ingest defects in a fraction of posts: an exact duplicate, a null account id, a timestamp
   * in 2100, or a control character in the text. Truth: {@code defect} says which.
   */
  public Dataset<Row> withDefects(Dataset<Row> posts) {
    Column key = col(Posts.POST_ID);
    Column picked = r.u("dirty", key).lt(cfg.dirtyFraction());
    Column defect = when(picked, r.index(4, "defect", key));
    Dataset<Row> marked = posts.withColumn("defect", defect);
    Dataset<Row> mutated =
        marked
            .withColumn(Posts.ACCOUNT_ID, when(col("defect").equalTo(1), lit(null).cast("string")).otherwise(col(Posts.ACCOUNT_ID)))
            .withColumn(Posts.CREATED_AT, when(col("defect").equalTo(2), timestamp_seconds(lit(4_102_444_800L))).otherwise(col(Posts.CREATED_AT)))
            .withColumn(Posts.TEXT, when(col("defect").equalTo(3), concat(col(Posts.TEXT), lit("\u0001"))).otherwise(col(Posts.TEXT)));
    Dataset<Row> duplicates = marked.filter(col("defect").equalTo(0));
    return mutated.unionByName(duplicates).drop("defect");
  }

  /**
   * A balanced labeled sample, as annotated bot datasets are (the classifier is trained at 50/50 and
   * applied to the archive's own prevalence: prior shift). Each bot is labeled with probability
   * pBot and each human with pHuman, chosen so that both classes expect the same count.
   */
  public Dataset<Row> labels(Dataset<Row> pop) {
    double share = cfg.botShare() * (cfg.accounts() - cfg.popular()) / (double) cfg.accounts();
    double pBot = 0.5 * Math.min(1.0, (1 - share) / Math.max(share, 1e-9));
    double pHuman = 0.5 * Math.min(1.0, share / (1 - share));
    Column u = r.u("label", col("id"));
    return pop.filter(when(col("is_bot"), u.lt(pBot)).otherwise(u.lt(pHuman))).select(
        col("account_id").as(Labels.ACCOUNT_ID),
        lit(PLATFORM).as(Labels.PLATFORM),
        when(col("is_bot"), Labels.BOT).otherwise(Labels.HUMAN).as(Labels.LABEL),
        lit("synthetic").as(Labels.SOURCE));
  }

  public Dataset<Row> watchlist(Dataset<Row> pop) {
    Column id = col("id");
    return pop.filter(col("kind").equalTo(OFFICIAL))
        .select(
            col("account_id").as(Watchlist.ACCOUNT_ID),
            col("screen_name").as(Watchlist.SCREEN_NAME),
            lit(PLATFORM).as(Watchlist.PLATFORM),
            actorTypeOf(id).as(Watchlist.ACTOR_TYPE),
            countryOf(id).as(Watchlist.COUNTRY),
            concat(lit("Official "), actorTypeOf(id), lit(" "), countryOf(id)).as(Watchlist.ACTOR_NAME));
  }

  public static Dataset<Row> truthAccounts(Dataset<Row> pop) {
    return pop.select(
        col("account_id").as(Truth.ACCOUNT_ID),
        col("kind").as(Truth.KIND),
        col("is_bot").as(Truth.IS_BOT),
        when(col("campaign").isNotNull(), concat(lit("campaign-"), col("campaign").cast("string"))).as(Truth.CAMPAIGN_ID),
        when(col("campaign").isNotNull(), campaignTrace(col("campaign"))).as(Truth.CAMPAIGN_TRACE));
  }

  /**
   * True bot share per slice: over all accounts and all posts, and per lang, day and topic over the
   * accounts and posts in the slice.
   */
  public static Dataset<Row> truthBotShare(Dataset<Row> posts, Dataset<Row> truthAccounts) {
    Dataset<Row> p = posts.join(truthAccounts.select(Truth.ACCOUNT_ID, Truth.IS_BOT), Posts.ACCOUNT_ID);
    Dataset<Row> overallAccounts =
        truthAccounts
            .agg(
                lit("overall").as(Truth.SLICE_TYPE), lit("all").as(Truth.SLICE_VALUE), lit("accounts").as(Truth.UNIT),
                org.apache.spark.sql.functions.avg(col(Truth.IS_BOT).cast("double")).as(Truth.TRUE_SHARE),
                count("*").as(Truth.N_ACCOUNTS))
            .crossJoin(p.agg(count("*").as(Truth.N_POSTS)));
    Dataset<Row> sliced =
        p.select(col(Posts.ACCOUNT_ID), col(Truth.IS_BOT), lit("overall").as("st"), lit("all").as("sv"))
            .unionByName(p.select(col(Posts.ACCOUNT_ID), col(Truth.IS_BOT), lit("lang").as("st"), coalesce(col(Posts.LANG), lit("und")).as("sv")))
            .unionByName(p.select(col(Posts.ACCOUNT_ID), col(Truth.IS_BOT), lit("day").as("st"), org.apache.spark.sql.functions.to_date(col(Posts.CREATED_AT)).cast("string").as("sv")))
            .unionByName(p.filter(size(col(Posts.HASHTAGS)).gt(0)).select(col(Posts.ACCOUNT_ID), col(Truth.IS_BOT), lit("topic").as("st"), explode(array_distinct(col(Posts.HASHTAGS))).as("sv")));
    Dataset<Row> perAccount = sliced.groupBy("st", "sv", Posts.ACCOUNT_ID).agg(count("*").as("n"), org.apache.spark.sql.functions.max(col(Truth.IS_BOT).cast("int")).as("bot"));
    Dataset<Row> bySlice = perAccount.groupBy("st", "sv").agg(
        count("*").as(Truth.N_ACCOUNTS), sum("n").as(Truth.N_POSTS),
        org.apache.spark.sql.functions.avg(col("bot")).as("acc_share"),
        sum(col("n").multiply(col("bot"))).divide(sum("n")).as("post_share"));
    Dataset<Row> accountsUnit = bySlice.filter(col("st").notEqual("overall")).select(col("st").as(Truth.SLICE_TYPE), col("sv").as(Truth.SLICE_VALUE), lit("accounts").as(Truth.UNIT), col("acc_share").as(Truth.TRUE_SHARE), col(Truth.N_ACCOUNTS), col(Truth.N_POSTS));
    Dataset<Row> postsUnit = bySlice.select(col("st").as(Truth.SLICE_TYPE), col("sv").as(Truth.SLICE_VALUE), lit("posts").as(Truth.UNIT), col("post_share").as(Truth.TRUE_SHARE), col(Truth.N_ACCOUNTS), col(Truth.N_POSTS));
    return overallAccounts.unionByName(accountsUnit).unionByName(postsUnit);
  }
}
