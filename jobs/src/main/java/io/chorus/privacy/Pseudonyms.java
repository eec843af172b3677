package io.chorus.privacy;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.chorus.ChorusException;
import io.chorus.schema.Accounts;
import io.chorus.schema.AccountFeatures;
import io.chorus.schema.AccountScores;
import io.chorus.schema.BotShare;
import io.chorus.schema.Coordination;
import io.chorus.schema.Influence;
import io.chorus.schema.Posts;
import io.chorus.schema.Quarantine;
import io.chorus.schema.TableSchema;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Keyed pseudonyms for published tables ({@code --pseudonymize}): account ids, screen names and
 * coordination cluster ids (which embed an account id) become {@code <kind>_<hex>}, the first 16
 * bytes of HMAC-SHA256(key, kind + ":" + value), screen names lower-cased first so that mentions
 * and profiles agree. The same key gives the same pseudonym in every table and every run; without
 * the key a pseudonym cannot be reversed or recomputed. Watchlisted official actors keep their
 * real ids and screen names: they are public figures whose reach is the point of the analysis.
 *
 * <p>This is a Java UDF, not built-in functions, on purpose: an HMAC built from {@code sha2} and
 * {@code concat} would carry key-derived bytes as literals in every query plan, where the Spark UI,
 * event logs and EXPLAIN output would show them. The UDF holds the key in its closure only.
 */
public final class Pseudonyms implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Environment variable holding the key. */
  public static final String KEY_ENV = "CHORUS_PSEUDONYM_KEY";
  public static final int MIN_KEY_LENGTH = 16;
  static final String UDF_NAME = "chorus_pseudonym";
  public static final String ACCOUNT = "acct";
  public static final String SCREEN_NAME = "user";
  public static final String CLUSTER = "cl";

  private final byte[] key;
  private final Set<String> exemptIds;
  private final Set<String> exemptScreenNames;
  /** One initialised Mac per task thread (doFinal resets it), created on the executor, never serialized. */
  private transient volatile ThreadLocal<Mac> macs;

  /**
   * @param key the secret
   * @param exemptIds account ids kept as they are (watchlisted actors)
   * @param exemptScreenNames screen names kept as they are, lower case
   */
  public Pseudonyms(byte[] key, Set<String> exemptIds, Set<String> exemptScreenNames) {
    if (key == null || key.length < MIN_KEY_LENGTH) {
      throw new ChorusException("--pseudonymize needs a secret key of at least " + MIN_KEY_LENGTH + " characters in the environment variable "
          + KEY_ENV + ". Fix: export " + KEY_ENV + "=<secret> (keep it: the same key gives the same pseudonyms in later runs).");
    }
    this.key = key.clone();
    this.exemptIds = Set.copyOf(exemptIds);
    this.exemptScreenNames = Set.copyOf(exemptScreenNames);
  }

  /** The key from {@link #KEY_ENV}, or null when unset (the constructor then fails without echoing any value). */
  public static byte[] keyFromEnvironment(Map<String, String> env) {
    String v = env.get(KEY_ENV);
    return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
  }

  public int exemptCount() {
    return exemptIds.size();
  }

  /** The pseudonym of {@code value} of one kind; exempt values and nulls pass through. */
  public String of(String kind, String value) {
    if (value == null) {
      return null;
    }
    String v = SCREEN_NAME.equals(kind) ? value.toLowerCase(Locale.ROOT) : value;
    if ((ACCOUNT.equals(kind) && exemptIds.contains(v)) || (SCREEN_NAME.equals(kind) && exemptScreenNames.contains(v))) {
      return value;
    }
    byte[] h = mac().doFinal((kind + ":" + v).getBytes(StandardCharsets.UTF_8));
    return kind + "_" + HexFormat.of().formatHex(h, 0, 16);
  }

  private Mac mac() {
    ThreadLocal<Mac> local = macs;
    if (local == null) {
      synchronized (this) {
        if (macs == null) {
          macs = ThreadLocal.withInitial(() -> {
            try {
              Mac m = Mac.getInstance("HmacSHA256");
              m.init(new SecretKeySpec(key, "HmacSHA256"));
              return m;
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
          });
        }
        local = macs;
      }
    }
    return local.get();
  }

  /** Registers the UDF in the session; call before {@link #apply}. */
  public void register(SparkSession spark) {
    spark.udf().register(UDF_NAME, (UDF2<String, String, String>) this::of, DataTypes.StringType);
  }

  static Column pseudo(String kind, Column value) {
    return callUDF(UDF_NAME, lit(kind), value);
  }

  static UnaryOperator<Dataset<Row>> columns(String kind, String... names) {
    return df -> {
      Dataset<Row> out = df;
      for (String n : names) {
        out = out.withColumn(n, pseudo(kind, col(n)));
      }
      return out;
    };
  }

  static Column amplifierArray(String name) {
    return transform(col(name), s -> struct(pseudo(ACCOUNT, s.getField(Influence.ACCOUNT_ID)).as(Influence.ACCOUNT_ID),
        s.getField(Influence.AMPLIFICATIONS).as(Influence.AMPLIFICATIONS)));
  }

  /**
   * The published form of one partition of {@code table}. Free text that names people is cleared:
   * accounts' display name, description and location, and quarantine's raw record. Post text is kept
   * (see the README's caveat).
   */
  public static Dataset<Row> apply(TableSchema table, Dataset<Row> df) {
    return switch (table.name()) {
      case Posts.TABLE -> columns(ACCOUNT, Posts.ACCOUNT_ID, Posts.PARENT_ACCOUNT_ID).apply(df)
          .withColumn(Posts.AUTHOR_SCREEN_NAME, pseudo(SCREEN_NAME, col(Posts.AUTHOR_SCREEN_NAME)))
          .withColumn(Posts.MENTIONS, transform(col(Posts.MENTIONS), m -> pseudo(SCREEN_NAME, m)));
      case Accounts.TABLE -> {
        Column exempt = pseudo(ACCOUNT, col(Accounts.ACCOUNT_ID)).equalTo(col(Accounts.ACCOUNT_ID));
        yield df.withColumn(Accounts.DISPLAY_NAME, when(exempt, col(Accounts.DISPLAY_NAME)))
            .withColumn(Accounts.DESCRIPTION, when(exempt, col(Accounts.DESCRIPTION)))
            .withColumn(Accounts.LOCATION, when(exempt, col(Accounts.LOCATION)))
            .withColumn(Accounts.ACCOUNT_ID, pseudo(ACCOUNT, col(Accounts.ACCOUNT_ID)))
            .withColumn(Accounts.SCREEN_NAME, pseudo(SCREEN_NAME, col(Accounts.SCREEN_NAME)));
      }
      case Quarantine.TABLE -> df.withColumn(Quarantine.RAW, lit(null).cast(DataTypes.StringType));
      case AccountFeatures.TABLE, AccountScores.TABLE -> columns(ACCOUNT, AccountFeatures.ACCOUNT_ID).apply(df);
      case BotShare.TABLE -> df; // slices are platforms, languages, days, topics and actor groups: no account names
      case Influence.ACCOUNT_TABLE -> columns(ACCOUNT, Influence.ACCOUNT_ID).apply(df).withColumn(Influence.SCREEN_NAME, pseudo(SCREEN_NAME, col(Influence.SCREEN_NAME)));
      case Influence.TOPIC_TABLE -> df.withColumn(Influence.TOP_AMPLIFIED, amplifierArray(Influence.TOP_AMPLIFIED))
          .withColumn(Influence.TOP_AMPLIFIERS, amplifierArray(Influence.TOP_AMPLIFIERS));
      case Influence.WATCHLIST_TABLE -> columns(ACCOUNT, Influence.ACCOUNT_ID).apply(df)
          .withColumn(Influence.SCREEN_NAME, pseudo(SCREEN_NAME, col(Influence.SCREEN_NAME)))
          .withColumn(Influence.TOP_AMPLIFIERS, amplifierArray(Influence.TOP_AMPLIFIERS));
      case Coordination.EDGES_TABLE -> columns(ACCOUNT, Coordination.ACCOUNT_A, Coordination.ACCOUNT_B).apply(df);
      case Coordination.CLUSTERS_TABLE -> columns(ACCOUNT, Coordination.ACCOUNT_ID).apply(df).withColumn(Coordination.CLUSTER_ID,
          pseudo(CLUSTER, col(Coordination.CLUSTER_ID)));
      default -> throw new IllegalArgumentException("no pseudonymization rule for table " + table.name());
    };
  }
}
